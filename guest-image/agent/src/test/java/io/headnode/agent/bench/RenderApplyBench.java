package io.headnode.agent.bench;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.RecordingPowerService;
import io.headnode.agent.TestConfigs;
import io.headnode.agent.apply.DhcpStep;
import io.headnode.agent.apply.InstallsStep;
import io.headnode.agent.apply.StepResult;
import io.headnode.agent.apply.TftpStep;
import io.headnode.agent.dhcp.AddressBook;
import io.headnode.agent.dhcp.IscDhcpBackend;
import io.headnode.agent.install.InstallMachine;
import io.headnode.agent.install.InstallStore;
import io.headnode.agent.install.InstallTemplates;
import io.headnode.agent.install.Installs;
import io.headnode.agent.install.PowerDispatch;
import io.headnode.agent.install.PxeSync;
import io.headnode.agent.install.Tokens;
import io.headnode.agent.render.Templates;
import io.headnode.agent.share.ShareReader;
import io.headnode.agent.share.ShareReading;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.agent.tftp.TftpTree;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.contract.ShareLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark (not a test): render and apply the configuration for N machines (default 5,000) the way the agent's
 * apply step does: read + parse the share, assign fixed addresses, render dhcpd.conf, validate it with the real
 * {@code dhcpd -t}, swap it in, bring the tftpboot tree and the per-MAC configs in line. Then the same input again:
 * it must write nothing and restart nothing. Run: guest-image/agent/bench/render-apply.sh [N] (see docs/benchmarks/agent.md).
 */
public final class RenderApplyBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        Path dir = Files.createTempDirectory("agent-bench");
        AgentConfig c = TestConfigs.rootedIn(dir);
        Path share = Files.createDirectories(c.shareMount());
        Files.writeString(share.resolve("headnode.conf"), "vlan = 42\nprivate-address = 10.20.0.1/19\n");
        StringBuilder m = new StringBuilder();
        for (int i = 0; i < n; i++) {
            m.append(String.format("52:54:%02x:%02x:%02x:%02x 10.30.%d.%d%n", (i >> 24) & 255, (i >> 16) & 255, (i >> 8) & 255, i & 255, (i >> 8) & 255, (i & 255)));
        }
        Files.writeString(share.resolve("machines.txt"), m);

        Templates templates = new Templates(null);
        ShareReader reader = new ShareReader(new ShareLayout(share));
        AddressBook book = new AddressBook(c.stateDir().resolve("addresses.txt"));
        IscDhcpBackend dhcpd = new IscDhcpBackend(c, new ProcessCommandRunner(), templates, Clock.systemUTC());
        DhcpStep dhcp = new DhcpStep(c, book, dhcpd);
        TftpStep tftp = new TftpStep(new TftpTree(c, templates));
        InstallTemplates it = new InstallTemplates(templates, c.httpPort());
        Installs installs = new Installs(new InstallMachine(Tokens::newToken), new InstallStore(c.stateDir().resolve("installs.json")),
                new PxeSync(new PxeConfigs(c.pxelinuxCfg()), PxeConfigs.grub(c.grubDir()), it), new PowerDispatch(new RecordingPowerService(), Runnable::run), it,
                Clock.systemUTC(), Runnable::run);
        installs.load();
        InstallsStep installsStep = new InstallsStep(installs, dhcp);

        // warm-up (JIT, page cache) in a separate directory state: first apply is also reported
        long[] cold = new long[1];
        cold[0] = time(() -> apply(reader, dhcp, tftp, installsStep));
        System.out.printf("machines: %d, first apply (cold JVM, writes everything): %.1f ms%n", n, cold[0] / 1e6);

        long[] changed = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            // change one machine's line each round: a real change, so dhcpd.conf is re-rendered, validated and swapped
            String text = Files.readString(share.resolve("machines.txt"));
            String line = String.format("52:54:ff:00:00:%02x 10.31.0.%d%n", r, r + 1);
            Files.writeString(share.resolve("machines.txt"), r == 0 ? text + line : text.replaceFirst("52:54:ff:00:00:[0-9a-f]{2} 10\\.31\\.0\\.[0-9]+\\n", line));
            changed[r] = time(() -> apply(reader, dhcp, tftp, installsStep));
        }
        Snapshot before = Snapshot.of(dir);
        int startsBefore = dhcpd.starts();
        long[] unchanged = new long[rounds];
        boolean[] wrote = new boolean[1];
        for (int r = 0; r < rounds; r++) {
            unchanged[r] = time(() -> wrote[0] |= apply(reader, dhcp, tftp, installsStep));
        }
        Snapshot after = Snapshot.of(dir);
        long[] pollOnly = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            pollOnly[r] = time(() -> reader.read());
        }
        System.out.printf("changed input (1 line differs): median %.1f ms, max %.1f ms over %d rounds (render + dhcpd -t + atomic swap)%n",
                median(changed) / 1e6, max(changed) / 1e6, rounds);
        System.out.printf("unchanged input, full apply path: median %.1f ms, max %.1f ms; files rewritten: %s; dhcpd restarts: %d%n",
                median(unchanged) / 1e6, max(unchanged) / 1e6, before.equals(after) && !wrote[0] ? "none" : "SOME", dhcpd.starts() - startsBefore);
        System.out.printf("unchanged input, what a poll does (read + parse + compare; apply is skipped): median %.1f ms%n", median(pollOnly) / 1e6);
        System.out.printf("dhcpd.conf: %d bytes%n", Files.size(dhcpd.confFile()));
    }

    /** The agent's apply steps minus network, daemons and HTTP (run-services=false). Returns true if dhcpd.conf was written. */
    static boolean apply(ShareReader reader, DhcpStep dhcp, TftpStep tftp, InstallsStep installs) {
        ShareReading reading = reader.read();
        ShareSnapshot s = reading.snapshot().orElseThrow(() -> new IllegalStateException(reading.problem()));
        StepResult r = dhcp.apply(s);
        for (StepResult each : new StepResult[] {r, tftp.apply(s), installs.apply(s)}) {
            if (each instanceof StepResult.Failed f) {
                throw new IllegalStateException(f.reason());
            }
        }
        return r instanceof StepResult.Changed;
    }

    interface Body {
        void run() throws Exception;
    }

    static long time(Body b) {
        long t = System.nanoTime();
        try {
            b.run();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return System.nanoTime() - t;
    }

    static double median(long[] a) {
        long[] s = a.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    static double max(long[] a) {
        return Arrays.stream(a).max().orElse(0);
    }

    /** Paths with size and mtime of every file under a directory. */
    record Snapshot(Map<String, String> files) {
        static Snapshot of(Path dir) throws Exception {
            Map<String, String> m = new java.util.TreeMap<>();
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile)::iterator) {
                    m.put(dir.relativize(p).toString(), Files.size(p) + "@" + Files.getLastModifiedTime(p).toMillis()
                            + "/" + Files.readAttributes(p, java.nio.file.attribute.BasicFileAttributes.class).fileKey());
                }
            }
            return new Snapshot(m);
        }
    }
}
