package io.headnode.contract;

import io.headnode.common.kv.KvLines;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The content of machines.txt: one {@code <mac> <bmc-address>} line per node, as in the seed.
 * Blank lines and {@code #} comments are allowed; MACs are normalized; a MAC may appear once.
 */
public record MachineList(List<Machine> machines) {
    public static final String FILE_NAME = "machines.txt";
    /** The size bound of machines.txt (far more than {@link #MAX_MACHINES} lines need, for comments). */
    public static final int MAX_BYTES = 4 << 20;
    /**
     * Machines at most (one per line): as many as the status lists ({@link AgentStatus#MAX_MACHINES}), and what the
     * agent's heap holds with its address book, installs and dhcpd.conf (docs/agent.md, "Share files and their caps").
     */
    public static final int MAX_MACHINES = AgentStatus.MAX_MACHINES;

    public MachineList {
        machines = List.copyOf(machines);
        if (machines.size() > MAX_MACHINES) {
            throw new IllegalArgumentException(machines.size() + " machines are more than " + MAX_MACHINES);
        }
        Map<MacAddress, Machine> seen = new HashMap<>();
        for (Machine m : machines) {
            if (seen.put(m.mac(), m) != null) {
                throw new IllegalArgumentException("MAC " + m.mac() + " is listed twice");
            }
        }
    }

    public static MachineList empty() {
        return new MachineList(List.of());
    }

    public static MachineList parse(String file, byte[] content) throws ShareFormatException {
        Map<MacAddress, Integer> firstLine = new HashMap<>();
        List<Machine> out = new java.util.ArrayList<>();
        for (KvLines.Line line : ShareFormatException.lines(file, content, MAX_BYTES, MAX_MACHINES)) {
            String[] f = line.words();
            if (f.length != 2) {
                throw new ShareFormatException(file, line.number(), f.length < 2 ? "bmc-address" : "line",
                        f.length < 2 ? "missing: expected '<mac> <bmc-address>'" : "expected 2 fields '<mac> <bmc-address>', found " + f.length);
            }
            MacAddress mac;
            try {
                mac = MacAddress.parse(f[0]);
            } catch (IllegalArgumentException e) {
                throw new ShareFormatException(file, line.number(), "mac", e.getMessage());
            }
            BmcAddress bmc;
            try {
                bmc = BmcAddress.parse(f[1]);
            } catch (IllegalArgumentException e) {
                throw new ShareFormatException(file, line.number(), "bmc-address", e.getMessage());
            }
            Integer before = firstLine.putIfAbsent(mac, line.number());
            if (before != null) {
                throw new ShareFormatException(file, line.number(), "mac", mac + " is already listed on line " + before);
            }
            out.add(new Machine(mac, bmc));
        }
        return new MachineList(out);
    }

    public Optional<Machine> find(MacAddress mac) {
        return machines.stream().filter(m -> m.mac().equals(mac)).findFirst();
    }

    /** Canonical text: one normalized line per machine, in the given order. */
    public byte[] render() {
        StringBuilder b = new StringBuilder("# machines.txt: <mac> <bmc-address>, written by headnode\n");
        for (Machine m : machines) {
            b.append(m.mac()).append(' ').append(m.bmc()).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
