package io.headnode.testing;

import io.headnode.common.exec.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A network namespace a test creates and deletes. Names are {@code hnt<pid>x<n>}: a namespace whose creating
 * JVM is gone is a leftover of a crashed run and is removed by {@link #sweepLeftovers()}.
 * Only loopback is up inside; nothing is routed anywhere.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final String PREFIX = "hnt";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private final String name;
    private final List<Daemon> daemons = new ArrayList<>();

    private NetworkNamespace(String name) {
        this.name = name;
    }

    public static NetworkNamespace create() {
        sweepLeftovers();
        String name = PREFIX + ProcessHandle.current().pid() + "x" + COUNTER.incrementAndGet();
        Command.check("ip", "netns", "add", name);
        NetworkNamespace ns = new NetworkNamespace(name);
        Cleanup.register(ns);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** Deletes namespaces of earlier test JVMs that died without cleaning up. */
    public static void sweepLeftovers() {
        for (String line : Command.run("ip", "netns", "list").stdout().split("\n")) {
            String ns = line.split(" ")[0];
            if (!ns.startsWith(PREFIX) || !ns.contains("x")) {
                continue;
            }
            try {
                long pid = Long.parseLong(ns.substring(PREFIX.length(), ns.indexOf('x')));
                if (ProcessHandle.of(pid).isEmpty()) {
                    killAll(ns);
                    Command.run("ip", "netns", "delete", ns);
                }
            } catch (NumberFormatException e) {
                // not ours
            }
        }
    }

    public String name() {
        return name;
    }

    /** The argument prefix that runs a command inside this namespace. */
    public List<String> wrap(List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", name));
        all.addAll(cmd);
        return all;
    }

    /** Runs {@code cmd} inside the namespace; throws {@link io.headnode.common.exec.CommandException} unless it exits 0. */
    public CommandResult exec(String... cmd) {
        return Command.run(Duration.ofSeconds(60), wrap(List.of(cmd))).orThrow();
    }

    public CommandResult run(Duration timeout, String... cmd) {
        return Command.run(timeout, wrap(List.of(cmd)));
    }

    /** Starts a foreground daemon inside the namespace; it is stopped (by PID) when the namespace closes. */
    public Daemon start(String daemonName, java.nio.file.Path log, String... cmd) {
        Daemon d = Daemon.start(daemonName, log, wrap(List.of(cmd)));
        daemons.add(d);
        return d;
    }

    @Override
    public void close() {
        Cleanup.unregister(this);
        for (int i = daemons.size() - 1; i >= 0; i--) {
            daemons.get(i).close();
        }
        killAll(name);
        Command.run("ip", "netns", "delete", name);
    }

    /** Kills by PID whatever still runs inside the namespace (ip netns pids), e.g. qemu started by libvirtd. */
    private static void killAll(String ns) {
        for (String pid : Command.run("ip", "netns", "pids", ns).stdout().split("\\s+")) {
            if (!pid.isBlank()) {
                ProcessHandle.of(Long.parseLong(pid.trim())).ifPresent(ProcessHandle::destroyForcibly);
            }
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
