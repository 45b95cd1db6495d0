package io.headnode.contract;

import io.headnode.common.kv.KvLines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A request to (re)install nodes, written by the host as {@code requests/<id>.install} in the share.
 * Content: one MAC per line, or the single word {@code all}. The id is unique; the agent runs each id once.
 */
public record InstallRequest(String id, boolean all, List<MacAddress> macs) {
    public static final String DIRECTORY = "requests";
    public static final String SUFFIX = ".install";
    /** The size bound of a request file. */
    public static final int MAX_BYTES = 1 << 20;
    /** Lines at most: each listed machine once (or {@code all}). */
    public static final int MAX_LINES = MachineList.MAX_MACHINES;
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    public InstallRequest {
        if (id == null || !ID.matcher(id).matches()) {
            throw new IllegalArgumentException("request id '" + (id == null ? "" : MacAddress.printable(id)) + "' must be 1-64 of [A-Za-z0-9_.-]");
        }
        macs = List.copyOf(macs);
        if (all == !macs.isEmpty()) {
            throw new IllegalArgumentException("a request names either 'all' or at least one MAC");
        }
    }

    public String fileName() {
        return id + SUFFIX;
    }

    public static InstallRequest parse(String file, String id, byte[] content) throws ShareFormatException {
        List<MacAddress> macs = new ArrayList<>();
        boolean all = false;
        for (KvLines.Line line : ShareFormatException.lines(file, content, MAX_BYTES, MAX_LINES)) {
            if (line.text().equals("all")) {
                all = true;
                continue;
            }
            try {
                macs.add(MacAddress.parse(line.text()));
            } catch (IllegalArgumentException e) {
                throw new ShareFormatException(file, line.number(), "mac", e.getMessage());
            }
        }
        try {
            return new InstallRequest(id, all, macs);
        } catch (IllegalArgumentException e) {
            throw new ShareFormatException(file, 0, "request", e.getMessage());
        }
    }

    public byte[] render() {
        StringBuilder b = new StringBuilder();
        if (all) {
            b.append("all\n");
        }
        macs.forEach(m -> b.append(m).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
