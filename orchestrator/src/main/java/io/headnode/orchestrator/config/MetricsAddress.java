package io.headnode.orchestrator.config;

import io.headnode.common.kv.FieldException;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the reconcile service serves {@code /metrics}: {@code HOST:PORT} ({@code [V6]:PORT} for IPv6), or
 * {@code none}. The default is loopback only.
 */
public record MetricsAddress(String host, int port) {
    public static final String DEFAULT = "127.0.0.1:9848";
    private static final Pattern FORM = Pattern.compile("(?:\\[([0-9A-Fa-f:.]{2,45})]|([A-Za-z0-9.-]{1,253})):([0-9]{1,5})");

    public MetricsAddress {
        if (host == null || host.isEmpty()) {
            throw new FieldException("metrics-address", "the host is empty");
        }
        if (port < 0 || port > 65535) {
            throw new FieldException("metrics-address", "port " + port + " is outside 0..65535");
        }
    }

    /** Parses a setting; empty for {@code none}. */
    public static Optional<MetricsAddress> parse(String text) {
        String t = text.strip();
        if (t.equals("none")) {
            return Optional.empty();
        }
        Matcher m = FORM.matcher(t);
        if (!m.matches()) {
            throw new FieldException("metrics-address", "'" + text + "' must be HOST:PORT, [IPV6]:PORT or none");
        }
        return Optional.of(new MetricsAddress(m.group(1) != null ? m.group(1) : m.group(2), Integer.parseInt(m.group(3))));
    }

    public InetSocketAddress socketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
