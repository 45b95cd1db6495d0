package io.headnode.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;

/**
 * A real ZooKeeper ensemble for integration tests: Debian's {@code zookeeper} 3.8 servers, one process per member
 * ({@code zkServer.sh start-foreground}, which execs the JVM, so the PID is ours and it is stopped by PID through
 * {@link Daemon}). Every member listens on 127.0.0.1 only, on free ports; each has its own {@code zoo.cfg}, data
 * directory and log under {@code workDir/member-N}. Short ticks (200 ms) make elections and session expiry fast:
 * sessions may last 0.4 s to 4 s.
 *
 * <p>Faults for failover tests: {@link #kill} (SIGKILL one member), {@link #killLeader}, {@link #killQuorum}, and
 * {@link #restart} / {@link #restartKilled}. A member's role is read with the {@code srvr} four-letter word.
 */
public final class ZooKeeperEnsemble implements AutoCloseable {
    /** Where Debian's package puts the server's start script. */
    public static final Path ZK_SERVER = Path.of("/usr/share/zookeeper/bin/zkServer.sh");
    public static final int TICK_MILLIS = 200;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String LOOPBACK = "127.0.0.1";

    private final Path workDir;
    private final List<Member> members;
    private final Daemon[] running;
    private final int tickMillis;
    private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();
    private final int number = STARTED.incrementAndGet();

    private record Member(int id, Path dir, int clientPort, int quorumPort, int electionPort) {
        Path config() {
            return dir.resolve("zoo.cfg");
        }
    }

    private ZooKeeperEnsemble(Path workDir, List<Member> members, int tickMillis) {
        this.workDir = workDir;
        this.members = members;
        this.running = new Daemon[members.size()];
        this.tickMillis = tickMillis;
    }

    /** Starts {@code size} members (3 for a real quorum) under {@code workDir}; returns once every member serves. */
    public static ZooKeeperEnsemble start(Path workDir, int size) {
        return start(workDir, size, TICK_MILLIS);
    }

    /**
     * As {@link #start(Path, int)} with another tick: sessions may last 2 to 20 ticks (a benchmark under load wants
     * longer sessions than the failover tests' 0.4-4 s).
     */
    public static ZooKeeperEnsemble start(Path workDir, int size, int tickMillis) {
        if (tickMillis < 50 || tickMillis > 2_000) {
            throw new IllegalArgumentException("tick must be 50..2000 ms, not " + tickMillis);
        }
        if (size < 1 || size > 7) {
            throw new IllegalArgumentException("ensemble size must be 1..7, not " + size);
        }
        if (!Files.isExecutable(ZK_SERVER)) {
            throw new IllegalStateException(ZK_SERVER + " missing: install Debian's zookeeper package (bin/install-deps)");
        }
        Path dir = workDir.toAbsolutePath();
        int[] ports = freePorts(3 * size);
        List<Member> members = IntStream.range(0, size)
                .mapToObj(i -> new Member(i + 1, dir.resolve("member-" + (i + 1)), ports[3 * i], ports[3 * i + 1], ports[3 * i + 2]))
                .toList();
        ZooKeeperEnsemble e = new ZooKeeperEnsemble(dir, members, tickMillis);
        Cleanup.register(e);
        try {
            for (Member m : members) {
                e.writeConfig(m);
            }
            for (int i = 0; i < size; i++) {
                e.launch(i);
            }
            e.awaitServing(IntStream.range(0, size).boxed().toList());
        } catch (RuntimeException ex) {
            e.close();
            throw ex;
        }
        return e;
    }

    private void writeConfig(Member m) {
        try {
            Files.createDirectories(m.dir().resolve("data"));
            Files.writeString(m.dir().resolve("data/myid"), m.id() + "\n");
            List<String> lines = new ArrayList<>(List.of(
                    "# written by io.headnode.testing.ZooKeeperEnsemble",
                    "tickTime=" + tickMillis,
                    "initLimit=20",
                    "syncLimit=5",
                    "dataDir=" + m.dir().resolve("data"),
                    "clientPort=" + m.clientPort(),
                    "clientPortAddress=" + LOOPBACK,
                    "quorumListenOnAllIPs=false",
                    "admin.enableServer=false",
                    "4lw.commands.whitelist=srvr,ruok",
                    "autopurge.purgeInterval=0",
                    "reconfigEnabled=false",
                    "standaloneEnabled=" + (members.size() == 1)));
            for (Member o : members) {
                lines.add("server." + o.id() + "=" + LOOPBACK + ":" + o.quorumPort() + ":" + o.electionPort());
            }
            Files.writeString(m.config(), String.join("\n", lines) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the config of zookeeper member " + m.id(), e);
        }
    }

    private void launch(int index) {
        Member m = members.get(index);
        // env execs the script, which execs java: the PID stays the server's. Small heap, quick JIT: 2 cores shared.
        // -Dheadnode.zk.jvmflags adds flags, "{member}" in them replaced by "<ensemble>-<member>", the ensemble counted
        // in this JVM (a profiler for a benchmark: -XX:StartFlightRecording=filename=/x/zk-{member}.jfr)
        String extra = System.getProperty("headnode.zk.jvmflags", "").strip().replace("{member}", number + "-" + m.id());
        running[index] = Daemon.start("zookeeper-" + m.id(), m.dir().resolve("server.out"), List.of(
                "env", "SERVER_JVMFLAGS=-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1" + (extra.isEmpty() ? "" : " " + extra),
                ZK_SERVER.toString(), "start-foreground", m.config().toString()));
    }

    /** "127.0.0.1:p1,127.0.0.1:p2,...": what a client (or {@code cluster =}) is given. */
    public String connectString() {
        return String.join(",", members.stream().map(m -> LOOPBACK + ":" + m.clientPort()).toList());
    }

    /** The connect string of one member only (0-based). */
    public String connectString(int member) {
        return LOOPBACK + ":" + members.get(member).clientPort();
    }

    /** The client port of one member (0-based), e.g. for a {@link TcpRelay} in front of it. */
    public int clientPort(int member) {
        return members.get(member).clientPort();
    }

    public int size() {
        return members.size();
    }

    public Path workDir() {
        return workDir;
    }

    public boolean isRunning(int member) {
        Daemon d = running[member];
        return d != null && d.isAlive();
    }

    /** The member's mode from {@code srvr} ("leader", "follower", "standalone"), empty while it does not serve. */
    public Optional<String> mode(int member) {
        if (!isRunning(member)) {
            return Optional.empty();
        }
        String reply = fourLetterWord(members.get(member).clientPort(), "srvr");
        for (String line : reply.split("\n")) {
            if (line.startsWith("Mode: ")) {
                return Optional.of(line.substring("Mode: ".length()).trim());
            }
        }
        return Optional.empty();
    }

    /**
     * The member's {@code srvr} figures as name -> value ("Received", "Sent", "Outstanding", "Latency min/avg/max",
     * "Mode", "Node count", ...); empty while it does not serve. For benchmarks: requests and latency under load.
     */
    public java.util.Map<String, String> stats(int member) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        if (!isRunning(member)) {
            return out;
        }
        for (String line : fourLetterWord(members.get(member).clientPort(), "srvr").split("\n")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                out.put(line.substring(0, colon).trim(), line.substring(colon + 2).trim());
            }
        }
        return out;
    }

    /** The index (0-based) of the current leader; waits (bounded) until there is one. */
    public int leader() {
        Daemon any = IntStream.range(0, members.size()).filter(this::isRunning).mapToObj(i -> running[i]).findFirst()
                .orElseThrow(() -> new IllegalStateException("no zookeeper member runs in " + workDir));
        any.await("a zookeeper leader", () -> findLeader().isPresent(), START_TIMEOUT);
        return findLeader().orElseThrow(() -> new IllegalStateException("the zookeeper leader went away again"));
    }

    private Optional<Integer> findLeader() {
        return IntStream.range(0, members.size())
                .filter(i -> mode(i).filter(s -> s.equals("leader") || s.equals("standalone")).isPresent())
                .boxed().findFirst();
    }

    /** SIGKILL to one member (0-based); returns once it is gone. */
    public void kill(int member) {
        Daemon d = running[member];
        if (d == null || !d.isAlive()) {
            throw new IllegalStateException("zookeeper member " + member + " is not running");
        }
        Command.run(Duration.ofSeconds(10), List.of("kill", "-KILL", Long.toString(d.pid())));
        d.await("exit after SIGKILL", () -> !d.isAlive(), Duration.ofSeconds(20));
        d.close();
        running[member] = null;
    }

    /** Kills the current leader; returns its index. */
    public int killLeader() {
        int leader = leader();
        kill(leader);
        return leader;
    }

    /** Kills a majority (the leader first), so the rest cannot serve; returns the killed members' indexes. */
    public List<Integer> killQuorum() {
        List<Integer> killed = new ArrayList<>();
        killed.add(killLeader());
        for (int i = 0; i < members.size() && killed.size() < members.size() / 2 + 1; i++) {
            if (isRunning(i)) {
                kill(i);
                killed.add(i);
            }
        }
        return killed;
    }

    /** Starts a killed member again on its own data; returns once it serves (which needs a quorum). */
    public void restart(int member) {
        if (isRunning(member)) {
            throw new IllegalStateException("zookeeper member " + member + " is running");
        }
        launch(member);
        awaitServing(List.of(member));
    }

    /** Starts every killed member again; returns once all serve. */
    public void restartKilled() {
        List<Integer> killed = IntStream.range(0, members.size()).filter(i -> !isRunning(i)).boxed().toList();
        for (int i : killed) {
            launch(i);
        }
        awaitServing(killed);
    }

    private void awaitServing(List<Integer> which) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        for (int i : which) {
            Daemon d = running[i];
            int member = i;
            d.await("zookeeper member " + members.get(i).id() + " serving", () -> mode(member).isPresent(),
                    Duration.between(Instant.now(), deadline).isNegative() ? Duration.ofSeconds(1) : Duration.between(Instant.now(), deadline));
        }
    }

    /** Stops every member by PID. */
    @Override
    public void close() {
        Cleanup.unregister(this);
        for (int i = 0; i < running.length; i++) {
            if (running[i] != null) {
                running[i].close();
                running[i] = null;
            }
        }
    }

    private static String fourLetterWord(int port, String word) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(InetAddress.getByName(LOOPBACK), port), 1000);
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            out.write(word.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static int[] freePorts(int n) {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] ports = new int[n];
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK));
                held.add(s);
                ports[i] = s.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback ports", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException e) {
                    // closing a probe socket
                }
            }
        }
    }

    @Override
    public String toString() {
        return "zookeeper ensemble " + connectString() + " in " + workDir;
    }
}
