package io.headnode.storm;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The boot-storm benchmark (tests/storm/run-storm.sh runs it): one lab, then in one run
 * <ol>
 *   <li>DHCP only: every node's DISCOVER/OFFER/REQUEST/ACK, for dhcpd's answer rate;</li>
 *   <li>the storm without the bulk transfer (DHCP, TFTP, kickstart, callback), after an install request for all;</li>
 *   <li>the whole storm (plus kernel and initrd over HTTP), after another install request for all;</li>
 *   <li>nginx alone serving the same kernel and initrd to the same nodes from the same addresses.</li>
 * </ol>
 * After each install storm it checks that every node is installed and every per-MAC config gone, and reads the
 * agent's peak RSS (VmHWM, reset before each storm). Prints the figures, one line each, and exits 1 on any error.
 * Arguments: {@code [nodes=1000] [kernel MiB=10] [initrd MiB=60] [deadline s=900] [storms=dhcp,light,full,bulk]}; the
 * last one picks storms to run (e.g. {@code light} alone, to profile it); the ratios need full and bulk.
 */
public final class StormBench {
    private StormBench() {
    }

    public static void main(String[] args) throws Exception {
        int nodes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        long kernel = (args.length > 1 ? Long.parseLong(args[1]) : 10) << 20;
        long initrd = (args.length > 2 ? Long.parseLong(args[2]) : 60) << 20;
        Duration deadline = Duration.ofSeconds(args.length > 3 ? Long.parseLong(args[3]) : 900);
        java.util.Set<String> storms = java.util.Set.of((args.length > 4 ? args[4] : "dhcp,light,full,bulk").split(","));
        Path jar = Path.of(System.getProperty("headnode.agent.jar", "guest-image/agent/target/headnode-agent.jar")).toAbsolutePath();
        Path launcher = Path.of(System.getProperty("headnode.agent.launcher", "bin/headnode-agent")).toAbsolutePath();
        List<String> failures = new ArrayList<>();
        Map<String, Object> figures = new LinkedHashMap<>();
        String load = java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip();
        try (StormLab lab = StormLab.create(new StormLab.Config(nodes, kernel, initrd, jar, launcher))) {
            say("lab ready: " + nodes + " nodes, kernel " + (kernel >> 20) + " MiB, initrd " + (initrd >> 20) + " MiB; load before: " + load);
            Map<String, Object> none = Map.of("seconds", 0.0);
            Map<String, Object> dhcp = none;
            if (storms.contains("dhcp")) {
                dhcp = check(lab.storm(StormRun.Mode.DHCP, 80, deadline), failures);
                say("dhcp only: " + dhcp);
            }
            Storm light = new Storm(none, 0);
            if (storms.contains("light")) {
                light = installStorm(lab, StormRun.Mode.LIGHT, deadline, failures);
                say("light storm: " + light.figures());
            }
            Storm full = new Storm(none, 0);
            if (storms.contains("full")) {
                full = installStorm(lab, StormRun.Mode.FULL, deadline, failures);
                say("full storm: " + full.figures());
            }
            Map<String, Object> ngx = none;
            if (storms.contains("bulk")) {
                ngx = check(lab.storm(StormRun.Mode.BULK, StormLab.NGINX_PORT, deadline,
                        "--kernel", "/centos/vmlinuz", "--initrd", "/centos/initrd.img"), failures);
                say("nginx bulk: " + ngx);
            }
            if (!lab.agentAlive()) {
                failures.add("the agent died");
            }
            double fullS = seconds(full.figures());
            double nginxS = seconds(ngx);
            figures.put("nodes", nodes);
            figures.put("whole storm s", fullS);
            figures.put("nginx alone (same bytes, same clients) s", nginxS);
            figures.put("storm / nginx", nginxS == 0 ? "-" : Math.round(fullS / nginxS * 100) / 100.0 + " (target <= 1.5)");
            figures.put("storm without bulk s", seconds(light.figures()) + " (target <= 10)");
            figures.put("dhcpd answers/s (DHCP only; OFFER+ACK)", dhcp.get("dhcpAnswersPerSecond") + " (" + dhcp.get("dhcpAnswers")
                    + " answers, " + dhcp.get("dhcpResends") + " resends, " + dhcp.get("seconds") + " s for all leases)");
            figures.put("dhcpd answers/s in the whole storm", full.figures().get("dhcpAnswersPerSecond"));
            figures.put("HTTP MiB/s storm (kernel+initrd, over its whole time)", full.figures().get("httpMiBps"));
            figures.put("HTTP MiB/s nginx", ngx.get("httpMiBps"));
            figures.put("agent peak RSS MiB (VmHWM) light / full", (light.peakRssKib() >> 10) + " / " + (full.peakRssKib() >> 10));
            figures.put("phases (full)", full.figures().get("phases"));
            figures.put("phases (light)", light.figures().get("phases"));
            figures.put("errors", failures.size());
        }
        say("load after: " + java.nio.file.Files.readString(Path.of("/proc/loadavg")).strip() + " at " + Instant.now());
        figures.forEach((k, v) -> System.out.println(k + ": " + v));
        failures.forEach(f -> System.out.println("FAILED: " + f));
        System.exit(failures.isEmpty() ? 0 : 1);
    }

    /** An install storm's figures and the agent's peak RSS during it. */
    private record Storm(Map<String, Object> figures, long peakRssKib) {
    }

    /**
     * Requests an install of every node, runs the storm, and checks that every node ended installed with its per-MAC
     * config gone; the agent's VmHWM is reset before and read after.
     */
    private static Storm installStorm(StormLab lab, StormRun.Mode mode, Duration deadline, List<String> failures) throws Exception {
        lab.requestInstallAll();
        lab.resetPeakRss();
        Map<String, Object> r = check(lab.storm(mode, 80, deadline), failures);
        if (!lab.awaitAllInstalled(Duration.ofSeconds(60))) {
            failures.add(mode + ": not all installed with configs gone (installed " + lab.installedCount() + ", per-MAC configs "
                    + lab.perMacConfigs() + ")");
        }
        return new Storm(r, lab.agentPeakRssKib());
    }

    private static Map<String, Object> check(Map<String, Object> r, List<String> failures) {
        if (((Number) r.get("errors")).intValue() != 0) {
            failures.add(r.get("mode") + ": " + r.get("errors") + " errors, e.g. " + r.get("errorSamples"));
        }
        return r;
    }

    private static double seconds(Map<String, Object> r) {
        return ((Number) r.get("seconds")).doubleValue();
    }

    private static void say(String s) {
        System.out.println("[" + Instant.now() + "] " + s);
        System.out.flush();
    }
}
