package io.headnode.testing;

import io.headnode.common.exec.CommandResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A network namespace a test creates and deletes. Names are {@code hnt<pid>x<n>}: a namespace whose creating
 * JVM is gone is a leftover of a crashed run and is removed by {@link #sweepLeftovers()}.
 * Only loopback is up inside; nothing is routed anywhere.
 *
 * <p>A named namespace ({@link #named}) outlives the JVM that made it (the lab's, between {@code lab up} and
 * {@code lab down}): it is not deleted at exit, a later JVM finds it with {@link #existing}, and {@link #close()}
 * deletes it after killing, by PID, whatever still runs in it.
 */
public final class NetworkNamespace implements AutoCloseable {
    private static final String PREFIX = "hnt";
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9]{0,14}");
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

    /** The namespace {@code name}, created (with loopback up) unless it exists; never deleted at JVM exit. */
    public static NetworkNamespace named(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("namespace name '" + name + "' must be 1-15 of [a-z0-9], starting with a letter");
        }
        if (!exists(name)) {
            Command.check("ip", "netns", "add", name);
        }
        NetworkNamespace ns = new NetworkNamespace(name);
        ns.exec("ip", "link", "set", "lo", "up");
        return ns;
    }

    /** The namespace {@code name} if it exists (made by {@link #named}, possibly by another JVM). */
    public static Optional<NetworkNamespace> existing(String name) {
        return exists(name) ? Optional.of(new NetworkNamespace(name)) : Optional.empty();
    }

    public static boolean exists(String name) {
        return Command.run("ip", "netns", "list").stdout().lines().anyMatch(l -> l.split(" ")[0].equals(name));
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

    /** Starts a {@linkplain Daemon#startDetached detached} daemon inside the namespace; the caller records its PID. */
    public Daemon startDetached(String daemonName, java.nio.file.Path log, String... cmd) {
        return Daemon.startDetached(daemonName, log, wrap(List.of(cmd)));
    }

    /** PIDs of every process inside the namespace ({@code ip netns pids}). */
    public List<Long> pids() {
        return pids(name);
    }

    /** Names of the network links inside the namespace. */
    public List<String> links() {
        return exec("ip", "-o", "link", "show").stdout().lines()
                .map(l -> l.split(":\\s+", 3)[1].split("@")[0]).toList();
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
        for (long pid : pids(ns)) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
    }

    private static List<Long> pids(String ns) {
        return Arrays.stream(Command.run("ip", "netns", "pids", ns).stdout().split("\\s+"))
                .filter(p -> !p.isBlank()).map(p -> Long.parseLong(p.trim())).toList();
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
