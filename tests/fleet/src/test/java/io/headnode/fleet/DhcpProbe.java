package io.headnode.fleet;

import io.headnode.testing.Command;
import io.headnode.testing.Daemon;
import io.headnode.testing.NetworkNamespace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A DHCP client on the VLAN that counts who answers: a veth on the switch's VLAN bridge with a MAC the head node
 * knows, busybox udhcpc sending one DHCPDISCOVER a second, and tcpdump recording what reaches it. Two head nodes of
 * one VLAN would have the same address and MAC (both come from the VLAN's spec), so what tells them apart on the
 * wire is the count: two DHCPOFFERs for one DHCPDISCOVER (same xid) means two servers answered at once.
 */
final class DhcpProbe implements AutoCloseable {
    private static final String LINK = "prb";
    private static final String PEER = "prbp";
    private static final Pattern XID = Pattern.compile("xid (0x[0-9a-f]+)");
    private final NetworkNamespace ns;
    private final Path pcap;
    private final Daemon tcpdump;
    private final ScheduledExecutorService discover;

    /** What the probe saw: DISCOVERs sent, how many were answered, the most offers to one, offers per xid. */
    record Offers(int discovers, int answered, int maxPerDiscover, Map<String, Integer> perXid) {
    }

    private DhcpProbe(NetworkNamespace ns, Path pcap, Daemon tcpdump, ScheduledExecutorService discover) {
        this.ns = ns;
        this.pcap = pcap;
        this.tcpdump = tcpdump;
        this.discover = discover;
    }

    static DhcpProbe start(NetworkNamespace ns, String bridge, String mac, Path dir) throws IOException {
        Files.createDirectories(dir);
        ns.exec("ip", "link", "add", LINK, "type", "veth", "peer", "name", PEER);
        ns.exec("ip", "link", "set", PEER, "master", bridge, "up");
        ns.exec("ip", "link", "set", LINK, "address", mac, "up");
        Path pcap = dir.resolve("dhcp.pcap");
        Daemon tcpdump = ns.start("tcpdump", dir.resolve("tcpdump.log"), "tcpdump", "-i", LINK, "-n", "-U", "-w", pcap.toString(),
                "udp port 67 or udp port 68");
        tcpdump.awaitFile(pcap, Duration.ofSeconds(10));
        ScheduledExecutorService discover = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "dhcp-probe");
            t.setDaemon(true);
            return t;
        });
        // one DISCOVER (and on an offer one REQUEST), then exit without configuring anything (-s /bin/true)
        discover.scheduleWithFixedDelay(() -> ns.run(Duration.ofSeconds(10), "busybox", "udhcpc", "-i", LINK, "-n", "-q", "-f",
                "-t", "1", "-T", "1", "-s", "/bin/true"), 0, 1, TimeUnit.SECONDS);
        return new DhcpProbe(ns, pcap, tcpdump, discover);
    }

    /** Reads the capture so far. */
    Offers offers() {
        String text = Command.run(Duration.ofSeconds(30), List.of("tcpdump", "-r", pcap.toString(), "-n", "-vv")).stdout();
        Map<String, Integer> offers = new TreeMap<>();
        int discovers = 0;
        String xid = "";
        for (String line : text.split("\n")) {
            Matcher m = XID.matcher(line);
            if (m.find()) {
                xid = m.group(1);
            }
            if (line.contains("DHCP-Message (53), length 1: Discover")) {
                discovers++;
                offers.putIfAbsent(xid, 0);
            } else if (line.contains("DHCP-Message (53), length 1: Offer")) {
                offers.merge(xid, 1, Integer::sum);
            }
        }
        int answered = (int) offers.values().stream().filter(n -> n > 0).count();
        int max = offers.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        return new Offers(discovers, answered, max, offers);
    }

    @Override
    public void close() {
        discover.shutdownNow();
        try {
            tcpdump.close();
        } finally {
            ns.run(Duration.ofSeconds(10), "ip", "link", "delete", LINK);
        }
    }
}
