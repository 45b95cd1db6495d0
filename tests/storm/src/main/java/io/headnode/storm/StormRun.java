package io.headnode.storm;

import io.headnode.storm.DhcpClients.Lease;
import io.headnode.storm.HttpFetcher.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One storm: every node runs its boot at once (DHCP, TFTP boot file and per-MAC config, HTTP kernel and initrd,
 * kickstart, callback), or the part of it {@link Mode} names. Bounded: each node's steps have timeouts and the
 * whole storm a deadline; what has not finished by then counts as an error.
 */
public final class StormRun {
    /** What each node does. */
    public enum Mode {
        /** DHCP only: dhcpd's answer rate. */
        DHCP,
        /** DHCP, TFTP, kickstart, callback: the storm without the bulk transfer. */
        LIGHT,
        /** The whole boot. */
        FULL,
        /** Kernel and initrd only, from whatever serves them (nginx for the comparison). */
        BULK
    }

    /** The phases whose time is measured per node. */
    public enum Phase { DHCP, TFTP, BULK, KICKSTART, CALLBACK }

    /** Settings of one run. */
    public record Settings(Mode mode, InetAddress server, int httpPort, String kernel, String initrd, long kernelBytes, long initrdBytes,
                           int dhcpWindow, int tftpThreads, int tftpBlksize, int arch, Duration deadline) {
        public Settings {
            Objects.requireNonNull(mode, "mode is null");
            Objects.requireNonNull(server, "server is null");
            Objects.requireNonNull(deadline, "deadline is null");
            if (mode == Mode.BULK && (kernel == null || initrd == null)) {
                throw new IllegalArgumentException("a bulk run needs the kernel and initrd paths");
            }
        }
    }

    private final Settings settings;
    private final ConcurrentLinkedQueue<String> errors = new ConcurrentLinkedQueue<>();
    private final AtomicLong bytes = new AtomicLong();
    private final Map<Phase, ConcurrentLinkedQueue<Long>> phaseNanos = new EnumMap<>(Phase.class);

    public StormRun(Settings settings) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        for (Phase p : Phase.values()) {
            phaseNanos.put(p, new ConcurrentLinkedQueue<>());
        }
    }

    /** Runs the storm for {@code nodes}; returns the figures as a map (printed as one JSON line). */
    public Map<String, Object> run(List<Node> nodes) throws Exception {
        InetSocketAddress http = new InetSocketAddress(settings.server(), settings.httpPort());
        ExecutorService tftpPool = Executors.newFixedThreadPool(settings.tftpThreads());
        TftpFetcher tftp = new TftpFetcher(Duration.ofSeconds(2), settings.tftpBlksize());
        DhcpClients.Stats dhcpStats = new DhcpClients.Stats(0, 0, 0);
        long start;
        long end;
        int ok;
        try (DhcpClients dhcp = new DhcpClients(new InetSocketAddress("255.255.255.255", 67), settings.dhcpWindow(),
                Duration.ofSeconds(1), 8, settings.arch());
             HttpFetcher fetcher = new HttpFetcher(2, Duration.ofSeconds(60))) {
            start = System.nanoTime();
            List<CompletableFuture<Void>> all = new ArrayList<>();
            for (Node n : nodes) {
                all.add(boot(n, dhcp, tftp, tftpPool, fetcher, http).handle((v, ex) -> {
                    if (ex != null) {
                        errors.add(n.mac() + ": " + rootMessage(ex));
                    }
                    return null;
                }));
            }
            CompletableFuture<Void> done = CompletableFuture.allOf(all.toArray(CompletableFuture[]::new));
            try {
                done.get(settings.deadline().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long open = all.stream().filter(f -> !f.isDone()).count();
                errors.add(open + " nodes unfinished at the deadline of " + settings.deadline().toSeconds() + " s");
            }
            end = System.nanoTime();
            ok = nodes.size() - (int) all.stream().filter(f -> !f.isDone()).count() - countNodeErrors();
            dhcpStats = dhcp.stats();
        } finally {
            tftpPool.shutdownNow();
        }
        double seconds = (end - start) / 1e9;
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("mode", settings.mode().name().toLowerCase());
        out.put("nodes", nodes.size());
        out.put("ok", ok);
        out.put("errors", errors.size());
        out.put("errorSamples", errors.stream().limit(10).toList());
        out.put("seconds", round(seconds));
        out.put("httpBytes", bytes.get());
        out.put("httpMiBps", round(bytes.get() / 1048576.0 / seconds));
        out.put("dhcpAnswers", dhcpStats.answers());
        out.put("dhcpResends", dhcpStats.resends());
        out.put("dhcpAnswersPerSecond", round(dhcpStats.answersPerSecond()));
        Map<String, Object> phases = new LinkedHashMap<>();
        for (Phase p : Phase.values()) {
            List<Long> v = phaseNanos.get(p).stream().sorted().toList();
            if (!v.isEmpty()) {
                phases.put(p.name().toLowerCase(), Map.of("meanMs", round(v.stream().mapToLong(Long::longValue).average().orElse(0) / 1e6),
                        "p50Ms", round(v.get(v.size() / 2) / 1e6), "maxMs", round(v.get(v.size() - 1) / 1e6)));
            }
        }
        out.put("phases", phases);
        return out;
    }

    private int countNodeErrors() {
        return (int) errors.stream().filter(e -> !e.contains("unfinished at the deadline")).count();
    }

    private CompletableFuture<Void> boot(Node n, DhcpClients dhcp, TftpFetcher tftp, ExecutorService tftpPool, HttpFetcher fetcher,
                                         InetSocketAddress http) {
        if (settings.mode() == Mode.BULK) {
            return bulk(n, fetcher, http, settings.kernel(), settings.initrd());
        }
        long t0 = System.nanoTime();
        CompletableFuture<Lease> lease = dhcp.lease(n).thenApply(l -> {
            if (!l.address().equals(n.address())) {
                throw new IllegalStateException("DHCP gave " + l.address().getHostAddress() + ", expected " + n.address().getHostAddress());
            }
            if (l.bootFile().isEmpty() || !l.nextServer().equals(settings.server())) {
                throw new IllegalStateException("DHCP ACK without boot file or with next-server " + l.nextServer().getHostAddress());
            }
            phaseNanos.get(Phase.DHCP).add(System.nanoTime() - t0);
            return l;
        });
        if (settings.mode() == Mode.DHCP) {
            return lease.thenApply(l -> null);
        }
        CompletableFuture<PxeConfig> config = lease.thenApplyAsync(l -> {
            long t = System.nanoTime();
            try {
                if (tftp.fetch(n.address(), l.nextServer(), l.bootFile()).length == 0) {
                    throw new IllegalStateException("TFTP " + l.bootFile() + " is empty");
                }
                String cfg = new String(tftp.fetch(n.address(), l.nextServer(), "pxelinux.cfg/" + n.pxeName()), StandardCharsets.UTF_8);
                phaseNanos.get(Phase.TFTP).add(System.nanoTime() - t);
                return PxeConfig.parse(cfg);
            } catch (IOException e) {
                throw new IllegalStateException("TFTP: " + e.getMessage(), e);
            }
        }, tftpPool);
        CompletableFuture<PxeConfig> loaded = settings.mode() == Mode.FULL
                ? config.thenCompose(c -> bulk(n, fetcher, http, "/" + c.kernel(), "/" + c.initrd()).thenApply(v -> c))
                : config;
        return loaded.thenCompose(c -> {
            long t = System.nanoTime();
            return fetcher.get(n.address(), http, c.kickstartPath()).thenApply(a -> {
                expect(a, 200, "kickstart");
                phaseNanos.get(Phase.KICKSTART).add(System.nanoTime() - t);
                return PxeConfig.Callback.fromKickstart(a.body());
            });
        }).thenCompose(cb -> {
            long t = System.nanoTime();
            return fetcher.post(n.address(), http, cb.path(), "token=" + cb.token()).thenAccept(a -> {
                expect(a, 200, "callback");
                phaseNanos.get(Phase.CALLBACK).add(System.nanoTime() - t);
            });
        });
    }

    private CompletableFuture<Void> bulk(Node n, HttpFetcher fetcher, InetSocketAddress http, String kernel, String initrd) {
        long t = System.nanoTime();
        return fetcher.get(n.address(), http, kernel).thenCompose(k -> {
            expectFile(k, kernel, settings.kernelBytes());
            return fetcher.get(n.address(), http, initrd);
        }).thenAccept(i -> {
            expectFile(i, initrd, settings.initrdBytes());
            phaseNanos.get(Phase.BULK).add(System.nanoTime() - t);
        });
    }

    private void expectFile(Answer a, String what, long size) {
        expect(a, 200, what);
        if (size > 0 && a.bytes() != size) {
            throw new IllegalStateException(what + ": " + a.bytes() + " bytes, expected " + size);
        }
        bytes.addAndGet(a.bytes());
    }

    private static void expect(Answer a, int status, String what) {
        if (a.status() != status) {
            throw new IllegalStateException(what + ": HTTP " + a.status() + " " + a.body().substring(0, Math.min(120, a.body().length())));
        }
    }

    private static String rootMessage(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && (t instanceof java.util.concurrent.CompletionException || t.getMessage() == null)) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage());
        return m.length() > 300 ? m.substring(0, 300) : m;
    }

    private static double round(double v) {
        return Math.round(v * 100) / 100.0;
    }
}
