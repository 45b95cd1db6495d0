package io.headnode.agent.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.agent.http.LoopbackFlood;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Benchmark (not a test): opens N idle connections to the agent's HTTP server from one loopback address (or spread
 * over several), holds them, and meanwhile has another client (127.0.0.2) fetch a file every 200 ms. Reports how many
 * flood connections the server kept, the other client's answers and latencies, the agent's resident memory and, with a
 * status file, the age of the agent's status. Loopback only; bounded in connections and time.
 * Run: guest-image/agent/bench/idle-flood.sh (see docs/benchmarks/agent.md).
 * <p>
 * Arguments: URL CONNECTIONS ADDRESSES SECONDS PID [STATUS_JSON|- [HEAD_BYTES [complete]]]. ADDRESSES = 1 floods
 * from 127.0.0.1, k &gt; 1 spreads the flood over 127.0.1.1 .. 127.0.1.k. HEAD_BYTES &gt; 0 makes each connection send
 * that many bytes of an unfinished request head (the worst case of a slow sender), or with "complete" a whole request
 * with one long header line, after which it idles.
 */
public final class IdleFloodBench {
    private static final ObjectMapper JSON = new ObjectMapper();

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        int n = Integer.parseInt(args[1]);
        int addresses = Integer.parseInt(args[2]);
        Duration hold = Duration.ofSeconds(Math.min(Long.parseLong(args[3]), 300));
        long pid = Long.parseLong(args[4]);
        Path status = args.length > 5 && !args[5].equals("-") ? Path.of(args[5]) : null;
        int headBytes = args.length > 6 ? Math.min(Integer.parseInt(args[6]), 1 << 16) : 0;
        boolean complete = args.length > 7 && args[7].equals("complete");
        InetSocketAddress target = new InetSocketAddress(url.getHost(), url.getPort());

        long rssBefore = rssKiB(pid);
        long t0 = System.nanoTime();
        List<Double> latencies = new ArrayList<>();
        int ok = 0;
        int failed = 0;
        long rssMax = 0;
        long statusAgeMax = 0;
        int closed;
        int closedEarly = -1;
        try (LoopbackFlood flood = LoopbackFlood.open(target, n, addresses, LoopbackFlood.head(headBytes, complete))) {
            double connectSecs = (System.nanoTime() - t0) / 1e9;
            long end = System.nanoTime() + hold.toNanos();
            while (System.nanoTime() < end) {
                long start = System.nanoTime();
                int code = LoopbackFlood.fetch("127.0.0.2", target, url.getRawPath());
                latencies.add((System.nanoTime() - start) / 1e6);
                if (code == 200) {
                    ok++;
                } else {
                    failed++;
                }
                rssMax = Math.max(rssMax, rssKiB(pid));
                if (status != null) {
                    statusAgeMax = Math.max(statusAgeMax, statusAgeMillis(status));
                }
                Thread.sleep(200);
                if (closedEarly < 0 && System.nanoTime() - t0 > 1_000_000_000L + (long) (connectSecs * 1e9)) {
                    closedEarly = flood.closedByServer();
                }
            }
            closed = flood.closedByServer();
            System.out.printf("flood: %d idle connections (%d bytes of %s request head each) from %d address(es) in %.1f s;"
                    + " kept open by the server 1 s later: %d (closed: %d), after %d s: %d%n", n, headBytes,
                    complete ? "a complete" : "an unfinished", addresses, connectSecs, n - closedEarly, closedEarly, hold.toSeconds(), n - closed);
        }
        Collections.sort(latencies);
        System.out.printf("other client (127.0.0.2), one GET every 200 ms for %d s: %d answered 200, %d failed; latency p50 %.1f ms,"
                + " p99 %.1f ms, max %.1f ms%n", hold.toSeconds(), ok, failed, pct(latencies, 50), pct(latencies, 99),
                latencies.isEmpty() ? 0 : latencies.get(latencies.size() - 1));
        System.out.printf("agent RSS: %d MiB before, %d MiB max during the flood%n", rssBefore / 1024, rssMax / 1024);
        if (status != null) {
            System.out.printf("agent status: oldest 'updated' seen %.1f s old%n", statusAgeMax / 1000.0);
        }
    }

    private static long rssKiB(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        return 0;
    }

    private static long statusAgeMillis(Path status) {
        try {
            JsonNode s = JSON.readTree(Files.readString(status));
            return Duration.between(Instant.parse(s.path("updated").asText()), Instant.now()).toMillis();
        } catch (IOException | RuntimeException e) {
            return Long.MAX_VALUE;
        }
    }

    private static double pct(List<Double> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
