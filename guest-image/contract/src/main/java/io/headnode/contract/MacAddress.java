package io.headnode.contract;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A unicast 48-bit MAC address, normalized to lower-case colon form (aa:bb:cc:dd:ee:ff).
 * Accepts colons or dashes, any case. Multicast and all-zero addresses are rejected: no NIC boots with one.
 */
public record MacAddress(String value) implements Comparable<MacAddress> {
    private static final Pattern FORM = Pattern.compile("[0-9a-f]{2}([:-])[0-9a-f]{2}(\\1[0-9a-f]{2}){4}");

    public MacAddress {
        if (value == null) {
            throw new IllegalArgumentException("MAC address is missing");
        }
        String v = value.trim().toLowerCase(Locale.ROOT);
        if (!FORM.matcher(v).matches()) {
            throw new IllegalArgumentException("'" + printable(value) + "' is not a MAC address (aa:bb:cc:dd:ee:ff)");
        }
        v = v.replace('-', ':');
        if ((Integer.parseInt(v.substring(0, 2), 16) & 1) != 0) {
            throw new IllegalArgumentException("'" + v + "' is a multicast MAC address");
        }
        if (v.equals("00:00:00:00:00:00")) {
            throw new IllegalArgumentException("'" + v + "' is the all-zero MAC address");
        }
        value = v;
    }

    public static MacAddress parse(String text) {
        return new MacAddress(text);
    }

    /** Builds a locally administered unicast address from six octets. */
    public static MacAddress of(int... octets) {
        if (octets.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 octets, got " + octets.length);
        }
        StringBuilder b = new StringBuilder(17);
        for (int i = 0; i < 6; i++) {
            if (octets[i] < 0 || octets[i] > 255) {
                throw new IllegalArgumentException("octet " + octets[i] + " is outside 0..255");
            }
            if (i > 0) {
                b.append(':');
            }
            b.append(String.format(Locale.ROOT, "%02x", octets[i]));
        }
        return new MacAddress(b.toString());
    }

    /** The pxelinux per-MAC config file name: {@code 01-aa-bb-cc-dd-ee-ff} (ARP type 1, Ethernet). */
    public String pxelinuxConfigName() {
        return "01-" + value.replace(':', '-');
    }

    @Override
    public int compareTo(MacAddress other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            if (b.length() > 40) {
                return b.append("...").toString();
            }
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c & 0xff));
        }
        return b.toString();
    }
}
