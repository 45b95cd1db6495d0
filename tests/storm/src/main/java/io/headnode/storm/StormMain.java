package io.headnode.storm;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The load generator, run inside the client namespace (it binds DHCP's port 68 and each node's address there):
 * {@code StormMain --nodes FILE --server IP [--mode full|light|dhcp|bulk] [--port 80] [--kernel /p --initrd /p]
 * [--kernel-bytes N --initrd-bytes N] [--deadline-s 600] [--dhcp-window 64] [--tftp-threads 256] [--tftp-blksize 1408 (512: no option)] [--arch 0]}.
 * FILE has one node per line: {@code MAC ADDRESS}. Prints one JSON line with the figures; exit 0 only with no error.
 */
public final class StormMain {
    static final int MAX_NODES = 4096;

    private StormMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = options(args);
        List<Node> nodes = readNodes(Path.of(required(a, "nodes")));
        StormRun.Settings s = new StormRun.Settings(StormRun.Mode.valueOf(a.getOrDefault("mode", "full").toUpperCase()),
                InetAddress.getByName(required(a, "server")), Integer.parseInt(a.getOrDefault("port", "80")),
                a.get("kernel"), a.get("initrd"), Long.parseLong(a.getOrDefault("kernel-bytes", "0")), Long.parseLong(a.getOrDefault("initrd-bytes", "0")),
                Integer.parseInt(a.getOrDefault("dhcp-window", "64")), Integer.parseInt(a.getOrDefault("tftp-threads", "256")),
                Integer.parseInt(a.getOrDefault("tftp-blksize", Integer.toString(TftpFetcher.BLKSIZE))),
                Integer.parseInt(a.getOrDefault("arch", "0")), Duration.ofSeconds(Long.parseLong(a.getOrDefault("deadline-s", "600"))));
        Map<String, Object> result = new StormRun(s).run(nodes);
        System.out.println(new ObjectMapper().writeValueAsString(result));
        System.out.flush();
        // Netty's and the pools' threads are daemon or shut down; exit explicitly all the same
        System.exit(((Number) result.get("errors")).intValue() == 0 ? 0 : 1);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + args[i] + "'");
            }
            m.put(args[i].substring(2), args[i + 1]);
        }
        return m;
    }

    private static String required(Map<String, String> a, String key) {
        String v = a.get(key);
        if (v == null) {
            throw new IllegalArgumentException("--" + key + " is required");
        }
        return v;
    }

    /** Reads FILE: {@code MAC ADDRESS} per line; an error names the line. */
    public static List<Node> readNodes(Path file) throws IOException {
        if (Files.size(file) > (long) MAX_NODES * 64) {
            throw new IllegalArgumentException(file + ": over " + MAX_NODES * 64 + " bytes");
        }
        List<Node> nodes = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            String[] w = lines.get(i).trim().split("\\s+");
            if (w.length != 2) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": expected 'MAC ADDRESS'");
            }
            if (nodes.size() == MAX_NODES) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": more than " + MAX_NODES + " nodes");
            }
            nodes.add(new Node(nodes.size(), w[0], (Inet4Address) InetAddress.getByName(w[1])));
        }
        return nodes;
    }

    /** Writes the nodes in the format {@link #readNodes} reads. */
    public static void writeNodes(Path file, List<Node> nodes) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (Node n : nodes) {
            sb.append(n.mac()).append(' ').append(n.address().getHostAddress()).append('\n');
        }
        Files.writeString(file, sb.toString());
    }
}
