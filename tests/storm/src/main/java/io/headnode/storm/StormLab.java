package io.headnode.storm;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.common.exec.CommandResult;
import io.headnode.contract.AgentStatus;
import io.headnode.testing.Daemon;
import io.headnode.testing.NetworkNamespace;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The storm's world: a "headnode" namespace running the agent jar (through its launcher, with real dhcpd, in.tftpd
 * and radvd) and nginx, and a "client" namespace joined to it by a veth, where every simulated node has a macvlan
 * interface of its own with its MAC and its fixed address, and a routing rule that sends what leaves that address
 * through that interface. So each node's ARP, TCP and UDP come from its own MAC, as from a real machine, and the
 * head node's neighbour table maps each address to its node's MAC. Everything lives in a temp directory; the
 * namespaces (and what runs in them) are deleted on close.
 */
public final class StormLab implements AutoCloseable {
    public static final String SERVER = "10.100.0.1";
    public static final int NGINX_PORT = 8080;
    static final String NETWORK = "10.100.0.0/22";
    static final int MAX_NODES = 1000;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path dir;
    private final NetworkNamespace hn;
    private final NetworkNamespace client;
    private final List<Node> nodes;
    private final Daemon agent;
    private final Daemon nginx;
    private final AtomicInteger requests = new AtomicInteger();
    private final long kernelBytes;
    private final long initrdBytes;

    /** Sizes of the generated install media; nodes up to {@link #MAX_NODES} (a /22). */
    public record Config(int nodes, long kernelBytes, long initrdBytes, Path agentJar, Path launcher) {
        public Config {
            if (nodes < 1 || nodes > MAX_NODES) {
                throw new IllegalArgumentException("nodes " + nodes + " is outside 1.." + MAX_NODES);
            }
            if (kernelBytes < 1 || initrdBytes < 1) {
                throw new IllegalArgumentException("kernel and initrd sizes must be positive");
            }
            Objects.requireNonNull(agentJar, "agentJar is null");
            Objects.requireNonNull(launcher, "launcher is null");
        }
    }

    private StormLab(Config c) throws Exception {
        kernelBytes = c.kernelBytes();
        initrdBytes = c.initrdBytes();
        dir = Files.createTempDirectory("storm");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        hn = NetworkNamespace.create();
        client = NetworkNamespace.create();
        hn.exec("ip", "link", "add", "hn-priv", "type", "veth", "peer", "name", "st-eth", "netns", client.name());
        hn.exec("ip", "link", "add", "hn-pub", "type", "veth", "peer", "name", "hn-pub-end"); // no dummy module here
        hn.exec("ip", "link", "set", "hn-pub-end", "up");
        hn.exec("ip", "link", "set", "hn-pub", "up");
        Path share = Files.createDirectories(dir.resolve("share/requests"));
        List<String> macs = new ArrayList<>();
        StringBuilder machines = new StringBuilder();
        for (int i = 0; i < c.nodes(); i++) {
            macs.add(Node.stormMac(i));
            machines.append(Node.stormMac(i)).append(" 127.0.0.1:9\n");
        }
        Files.writeString(share.getParent().resolve("headnode.conf"), "vlan = 100\nprivate-address = " + SERVER + "/22\n"
                + "bmc-address = 10.101.0.1/24\npower-driver = amt\ninstall-attempts = 3\ninstall-deadline = 600\n");
        Files.writeString(share.getParent().resolve("machines.txt"), machines.toString());
        Path centos = Files.createDirectories(dir.resolve("tftpboot/centos"));
        for (Path p : List.of(dir.resolve("tftpboot"), centos)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        media(centos.resolve("vmlinuz"), c.kernelBytes());
        media(centos.resolve("initrd.img"), c.initrdBytes());
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, String.join("\n",
                "share-mount = " + share.getParent(), "mount-share = false", "state-dir = " + dir.resolve("state"),
                "tftp-root = " + dir.resolve("tftpboot"), "dhcp-dir = " + dir.resolve("dhcp"), "run-dir = " + dir.resolve("run"),
                "templates-dir = " + dir.resolve("templates"), "private-interface = hn-priv", "public-interface = hn-pub",
                "status-port = " + dir.resolve("status-port"), "poll-interval-ms = 500", "status-interval-ms = 2000", "http-port = 80",
                "dhcpd-leases = " + dir.resolve("state/dhcpd.leases"), "dhcpd-pid-file = " + dir.resolve("run/dhcpd.pid"), ""));
        Files.createFile(dir.resolve("status-port"));
        agent = hn.start("agent", dir.resolve("agent.log"), "env", "HEADNODE_AGENT_JAR=" + c.agentJar(), c.launcher().toString(),
                "run", "--config", conf.toString());
        await(Duration.ofSeconds(90), () -> {
            AgentStatus s = status();
            return s != null && s.ready() && s.machines().size() == c.nodes()
                    && s.machines().stream().allMatch(m -> m.address() != null && !m.address().isEmpty());
        }, "agent ready with " + c.nodes() + " machines");
        nodes = new ArrayList<>();
        for (AgentStatus.MachineStatus m : status().machines()) {
            nodes.add(new Node(macs.indexOf(m.mac().toString()), m.mac().toString(), (Inet4Address) InetAddress.getByName(m.address())));
        }
        nodes.sort(Comparator.comparingInt(Node::index));
        clientInterfaces();
        nginx = startNginx();
    }

    /** Creates the lab: namespaces, agent (ready, every machine with its address), client interfaces, nginx. */
    public static StormLab create(Config c) throws Exception {
        return new StormLab(c);
    }

    public List<Node> nodes() {
        return nodes;
    }

    public Path dir() {
        return dir;
    }

    public long kernelBytes() {
        return kernelBytes;
    }

    public long initrdBytes() {
        return initrdBytes;
    }

    /** Install media of the given size: a random MiB repeated (writing 70 MiB of fresh randomness costs seconds). */
    private static void media(Path file, long size) throws IOException {
        byte[] block = new byte[1 << 20];
        new Random(size).nextBytes(block);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = size; left > 0; left -= block.length) {
                out.write(block, 0, (int) Math.min(block.length, left));
            }
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    }

    /**
     * One macvlan per node on st-eth (mode private: a node's broadcasts go to the wire only, not to its 999
     * siblings), its MAC, its address as a /32, and a rule + table sending that source address out of it. ARP:
     * each interface answers only for its own address (arp_ignore 1). One {@code ip -batch} for all of it.
     */
    private void clientInterfaces() throws IOException {
        for (String key : List.of("all", "default")) {
            client.exec("sysctl", "-q", "-w", "net.ipv4.conf." + key + ".arp_ignore=1", "net.ipv4.conf." + key + ".arp_announce=2",
                    "net.ipv4.conf." + key + ".rp_filter=0", "net.ipv6.conf." + key + ".disable_ipv6=1");
        }
        client.exec("ip", "link", "set", "st-eth", "up");
        StringBuilder batch = new StringBuilder();
        for (Node n : nodes) {
            String dev = "mv" + n.index();
            int table = 1000 + n.index();
            String ip = n.address().getHostAddress();
            batch.append("link add ").append(dev).append(" link st-eth address ").append(n.mac()).append(" type macvlan mode private\n")
                    .append("link set ").append(dev).append(" up\n")
                    .append("addr add ").append(ip).append("/32 dev ").append(dev).append('\n')
                    .append("route add ").append(NETWORK).append(" dev ").append(dev).append(" src ").append(ip).append(" table ").append(table).append('\n')
                    .append("rule add from ").append(ip).append(" table ").append(table).append(" pref ").append(table).append('\n');
        }
        Path file = dir.resolve("client.batch");
        Files.writeString(file, batch.toString());
        client.exec("ip", "-batch", file.toString());
        // DHCP's broadcasts (sent before a node "has" its address) leave through st-eth
        client.exec("ip", "route", "add", "255.255.255.255/32", "dev", "st-eth");
        client.exec("ip", "route", "add", NETWORK, "dev", "st-eth");
    }

    private Daemon startNginx() throws IOException {
        Path n = Files.createDirectories(dir.resolve("nginx"));
        Files.writeString(n.resolve("nginx.conf"), String.join("\n",
                "worker_processes 2;", "daemon off;", "pid " + n.resolve("nginx.pid") + ";", "error_log " + n.resolve("error.log") + ";",
                "events { worker_connections 4096; }",
                // send_timeout as the agent's send-stall timeout (HttpLimits: 120 s; nginx's default 60 s closed 10 of 1,000
                // slow readers mid-initrd in the quiet full-size run): both servers give a stalled reader the same time
                "http {", "  access_log off;", "  sendfile on;", "  tcp_nopush on;", "  send_timeout 120s;",
                "  client_body_temp_path " + n.resolve("body") + ";", "  proxy_temp_path " + n.resolve("proxy") + ";",
                "  fastcgi_temp_path " + n.resolve("fastcgi") + ";", "  uwsgi_temp_path " + n.resolve("uwsgi") + ";",
                "  scgi_temp_path " + n.resolve("scgi") + ";",
                "  server { listen " + SERVER + ":" + NGINX_PORT + "; root " + dir.resolve("tftpboot") + "; }", "}", ""));
        Daemon d = hn.start("nginx", n.resolve("stderr.log"), "nginx", "-c", n.resolve("nginx.conf").toString(), "-p", n.toString());
        await(Duration.ofSeconds(20), () -> hn.run(Duration.ofSeconds(5), "curl", "-fsS", "-o", "/dev/null",
                "http://" + SERVER + ":" + NGINX_PORT + "/centos/vmlinuz").exitCode() == 0, "nginx serving");
        return d;
    }

    /**
     * Asks the agent (through the share, as the host does) to install every node, and waits until it took it up and
     * tried each power cycle (they fail: the BMCs are 127.0.0.1:9), as a real storm starts after the power cycles.
     */
    public void requestInstallAll() throws IOException {
        Path spool = dir.resolve("share/requests");
        String name = "storm-" + requests.incrementAndGet();
        Path tmp = spool.resolve("." + name + ".tmp");
        Files.writeString(tmp, "all\n");
        Files.move(tmp, spool.resolve(name + ".install"), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        await(Duration.ofSeconds(120), () -> {
            AgentStatus s = status();
            return s != null && s.machines().stream().allMatch(m -> (m.state() == AgentStatus.MachineState.INSTALLING
                    || m.state() == AgentStatus.MachineState.REQUESTED) && !m.detail().contains("power cycle pending"))
                    && perMacConfigs() == nodes.size();
        }, "every node requested with its per-MAC config, its power cycle tried");
    }

    /** Runs the load generator inside the client namespace; its JSON line as a map. */
    @SuppressWarnings("unchecked")
    public Map<String, Object> storm(StormRun.Mode mode, int port, Duration deadline, String... extra) throws IOException {
        Path nodesFile = dir.resolve("nodes.txt");
        StormMain.writeNodes(nodesFile, nodes);
        List<String> cmd = new ArrayList<>(List.of("java", "-Xms256m", "-Xmx1g", "-XX:+UseParallelGC", "-cp", generatorClasspath(),
                StormMain.class.getName(), "--nodes", nodesFile.toString(), "--server", SERVER, "--mode", mode.name().toLowerCase(),
                "--port", Integer.toString(port), "--kernel-bytes", Long.toString(kernelBytes), "--initrd-bytes", Long.toString(initrdBytes),
                "--deadline-s", Long.toString(deadline.toSeconds())));
        cmd.addAll(List.of(extra));
        CommandResult r = client.run(deadline.plusSeconds(60), cmd.toArray(String[]::new));
        String last = r.stdout().strip().lines().reduce((a, b) -> b).orElse("");
        if (!last.startsWith("{")) {
            throw new IllegalStateException("generator printed no result (exit " + r.exitCode() + "): " + r.stderr());
        }
        return JSON.readValue(last, Map.class);
    }

    /**
     * This JVM's class path without the agent's classes and logback (an IT has the agent on its test class path only
     * so that Maven builds the agent jar first): the generator logs nothing.
     */
    static String generatorClasspath() {
        return Stream.of(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(e -> !e.contains("guest-image/agent/") && !e.contains("/logback-")).collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** The agent's peak resident memory (VmHWM) in KiB since start or the last {@link #resetPeakRss}. */
    public long agentPeakRssKib() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + agent.pid() + "/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmHWM for agent PID " + agent.pid());
    }

    /** Resets VmHWM to the current RSS (proc(5): clear_refs 5). */
    public void resetPeakRss() throws IOException {
        Files.writeString(Path.of("/proc/" + agent.pid() + "/clear_refs"), "5");
    }

    public boolean agentAlive() {
        return agent.isAlive();
    }

    public String agentLog() {
        return agent.logText();
    }

    /** The agent's published status (state-dir/status.json), or null before the first. */
    public AgentStatus status() {
        Path f = dir.resolve("state/status.json");
        try {
            return Files.exists(f) ? AgentStatus.parse(Files.readString(f).strip()) : null;
        } catch (IOException | RuntimeException e) {
            return null; // caught between writes
        }
    }

    public long installedCount() {
        AgentStatus s = status();
        return s == null ? 0 : s.machines().stream().filter(m -> m.state() == AgentStatus.MachineState.INSTALLED).count();
    }

    /** How many per-MAC pxelinux configs (01-...) are in the tftpboot tree. */
    public long perMacConfigs() {
        Path cfg = dir.resolve("tftpboot/pxelinux.cfg");
        if (!Files.isDirectory(cfg)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(cfg)) {
            return s.filter(p -> p.getFileName().toString().startsWith("01-")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits (polling every 200 ms, bounded) until every node is installed and its config gone; false at the timeout. */
    public boolean awaitAllInstalled(Duration timeout) {
        try {
            await(timeout, () -> installedCount() == nodes.size() && perMacConfigs() == 0, "all installed");
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static void await(Duration timeout, BooleanSupplier ok, String what) {
        try {
            Awaitility.await(what).atMost(timeout).pollInterval(Duration.ofMillis(200)).until(ok::getAsBoolean);
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for: " + what, e);
        }
    }

    @Override
    public void close() {
        for (AutoCloseable c : new AutoCloseable[] {nginx, agent, client, hn}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                System.err.println("storm cleanup: " + e);
            }
        }
        String keep = System.getProperty("storm.agent-log");
        if (keep != null) {
            try {
                Files.copy(dir.resolve("agent.log"), Path.of(keep), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                System.err.println("storm: cannot keep the agent log: " + e);
            }
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            System.err.println("storm cleanup of " + dir + ": " + e);
        }
    }
}
