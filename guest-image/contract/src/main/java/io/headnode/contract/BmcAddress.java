package io.headnode.contract;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a node's BMC answers: an IPv4 address, an IPv6 address, or a DNS host name, optionally with a port
 * ({@code host:port}, {@code [v6]:port}). Validated syntactically; never resolved here.
 */
public record BmcAddress(String host, int port) {
    private static final Pattern IPV4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{1,4}");
    public static final int NO_PORT = 0;

    public BmcAddress {
        if (host == null || host.isEmpty()) {
            throw new IllegalArgumentException("BMC address is missing");
        }
        host = host.toLowerCase(Locale.ROOT);
        if (!isIpv4(host) && !isIpv6(host) && !isHostname(host)) {
            throw new IllegalArgumentException("'" + MacAddress.printable(host) + "' is not an IPv4 or IPv6 address or a host name");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 1..65535");
        }
    }

    public static BmcAddress parse(String text) {
        String t = text.trim();
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            if (end < 0) {
                throw new IllegalArgumentException("'" + MacAddress.printable(t) + "' has no closing ]");
            }
            String host = t.substring(1, end);
            if (!isIpv6(host.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException("'" + MacAddress.printable(host) + "' is not an IPv6 address");
            }
            return new BmcAddress(host, end + 1 < t.length() ? port(t.substring(end + 1), t) : NO_PORT);
        }
        int colon = t.indexOf(':');
        if (colon >= 0 && colon == t.lastIndexOf(':')) {
            return new BmcAddress(t.substring(0, colon), port(t.substring(colon), t));
        }
        return new BmcAddress(t, NO_PORT);
    }

    private static int port(String suffix, String whole) {
        if (!suffix.startsWith(":") || suffix.length() < 2 || suffix.length() > 6 || !suffix.substring(1).chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + MacAddress.printable(whole) + "' has a bad port");
        }
        int p = Integer.parseInt(suffix.substring(1));
        if (p < 1 || p > 65535) {
            throw new IllegalArgumentException("port " + p + " is outside 1..65535");
        }
        return p;
    }

    public boolean hasPort() {
        return port != NO_PORT;
    }

    public int portOr(int defaultPort) {
        return hasPort() ? port : defaultPort;
    }

    public boolean isIpv6() {
        return isIpv6(host);
    }

    /** The host as it goes into a URL: IPv6 in brackets. */
    public String urlHost() {
        return isIpv6() ? "[" + host + "]" : host;
    }

    static boolean isIpv4(String s) {
        return IPV4.matcher(s).matches();
    }

    static boolean isHostname(String s) {
        if (s.length() > 253 || s.endsWith(".") || IPV4.matcher(s).matches() || s.chars().allMatch(c -> Character.isDigit(c) || c == '.')) {
            return false;
        }
        for (String label : s.split("\\.", -1)) {
            if (!LABEL.matcher(label).matches()) {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv6(String s) {
        if (s.indexOf(':') < 0) {
            return false;
        }
        String body = s;
        int groupsNeeded = 8;
        int lastColon = s.lastIndexOf(':');
        if (s.indexOf('.') > 0) {
            if (!isIpv4(s.substring(lastColon + 1))) {
                return false;
            }
            body = s.substring(0, lastColon + 1) + "0:0";
        }
        int dbl = body.indexOf("::");
        if (dbl != body.lastIndexOf("::")) {
            return false;
        }
        if (dbl >= 0) {
            String left = body.substring(0, dbl);
            String right = body.substring(dbl + 2);
            int n = groups(left) + groups(right);
            return n >= 0 && n < groupsNeeded && (left.isEmpty() || groups(left) > 0) && (right.isEmpty() || groups(right) > 0);
        }
        return groups(body) == groupsNeeded;
    }

    private static int groups(String part) {
        if (part.isEmpty()) {
            return 0;
        }
        String[] g = part.split(":", -1);
        for (String x : g) {
            if (!HEX.matcher(x).matches()) {
                return -100;
            }
        }
        return g.length;
    }

    @Override
    public String toString() {
        return hasPort() ? urlHost() + ":" + port : host;
    }
}
