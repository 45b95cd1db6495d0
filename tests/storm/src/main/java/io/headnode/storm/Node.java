package io.headnode.storm;

import java.net.Inet4Address;
import java.util.Objects;
import java.util.regex.Pattern;

/** One simulated PXE client: its MAC (as in machines.txt) and the fixed address dhcpd should give it. */
public record Node(int index, String mac, Inet4Address address) {
    private static final Pattern MAC = Pattern.compile("([0-9a-f]{2}:){5}[0-9a-f]{2}");

    public Node {
        if (index < 0) {
            throw new IllegalArgumentException("node index " + index + " is negative");
        }
        Objects.requireNonNull(mac, "mac is null");
        if (!MAC.matcher(mac).matches()) {
            throw new IllegalArgumentException("node " + index + ": '" + mac + "' is not a lower-case MAC address");
        }
        Objects.requireNonNull(address, "address is null");
    }

    /** The MAC as 6 bytes (DHCP's chaddr). */
    public byte[] macBytes() {
        byte[] b = new byte[6];
        String[] parts = mac.split(":");
        for (int i = 0; i < 6; i++) {
            b[i] = (byte) Integer.parseInt(parts[i], 16);
        }
        return b;
    }

    /** pxelinux's per-MAC config name: 01-52-54-00-aa-00-01. */
    public String pxeName() {
        return "01-" + mac.replace(':', '-');
    }

    /** The i-th storm MAC: 52:54:00 (QEMU's prefix), then 0x5a (storm) and the index in two bytes. */
    public static String stormMac(int i) {
        if (i < 0 || i > 0xffff) {
            throw new IllegalArgumentException("node index " + i + " is outside 0..65535");
        }
        return String.format("52:54:00:5a:%02x:%02x", i >> 8, i & 0xff);
    }
}
