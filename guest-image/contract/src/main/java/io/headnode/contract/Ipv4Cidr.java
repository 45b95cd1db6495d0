package io.headnode.contract;

/** An IPv4 interface address with its prefix, e.g. 10.0.100.1/24. */
public record Ipv4Cidr(int address, int prefix) {
    public Ipv4Cidr {
        if (prefix < 8 || prefix > 30) {
            throw new IllegalArgumentException("prefix /" + prefix + " is outside /8../30");
        }
        int host = address & ~mask(prefix);
        if (host == 0 || host == ~mask(prefix)) {
            throw new IllegalArgumentException(dotted(address) + "/" + prefix + " is the network or broadcast address");
        }
    }

    public static Ipv4Cidr parse(String text) {
        String t = text.trim();
        int slash = t.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + MacAddress.printable(t) + "' has no /prefix (e.g. 10.0.100.1/24)");
        }
        String a = t.substring(0, slash);
        if (!BmcAddress.isIpv4(a)) {
            throw new IllegalArgumentException("'" + MacAddress.printable(a) + "' is not an IPv4 address");
        }
        int prefix;
        try {
            prefix = Integer.parseInt(t.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + MacAddress.printable(t.substring(slash + 1)) + "' is not a prefix length");
        }
        return new Ipv4Cidr(toInt(a), prefix);
    }

    public static int toInt(String dotted) {
        String[] p = dotted.split("\\.");
        int v = 0;
        for (String x : p) {
            v = (v << 8) | Integer.parseInt(x);
        }
        return v;
    }

    public static String dotted(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public String ip() {
        return dotted(address);
    }

    public String network() {
        return dotted(address & mask(prefix));
    }

    public String netmask() {
        return dotted(mask(prefix));
    }

    public String broadcast() {
        return dotted(address | ~mask(prefix));
    }

    /** Number of usable host addresses (network and broadcast excluded). */
    public int hostCount() {
        return (1 << (32 - prefix)) - 2;
    }

    /** The n-th usable host address of the subnet, 1-based. */
    public String host(int n) {
        if (n < 1 || n > hostCount()) {
            throw new IllegalArgumentException("host " + n + " is outside 1.." + hostCount() + " of " + this);
        }
        return dotted((address & mask(prefix)) + n);
    }

    public boolean contains(String dottedAddress) {
        return (toInt(dottedAddress) & mask(prefix)) == (address & mask(prefix));
    }

    @Override
    public String toString() {
        return ip() + "/" + prefix;
    }
}
