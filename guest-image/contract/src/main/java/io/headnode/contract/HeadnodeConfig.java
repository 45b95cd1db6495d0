package io.headnode.contract;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * headnode.conf in the share: what the host tells the guest about its VLAN. {@code key = value} lines.
 * <ul>
 *   <li>{@code vlan}: the VLAN id (must match the share it is in)</li>
 *   <li>{@code private-address}: eth0's static address and the DHCP subnet, e.g. 10.0.100.1/24</li>
 *   <li>{@code bmc-address}: optional second address on eth0 in the BMCs' management subnet (the seed's eth0:1)</li>
 *   <li>{@code power-driver}: default BMC driver for machines without a credentials entry (amt, as in the seed)</li>
 *   <li>{@code install-profile}: the install template (centos, the seed's kickstart flow, by default)</li>
 *   <li>{@code install-deadline}: minutes an install may take before it stops being served</li>
 *   <li>{@code install-attempts}: how many network boots one install request may use</li>
 * </ul>
 */
public record HeadnodeConfig(Vlan vlan, Ipv4Cidr privateAddress, Optional<Ipv4Cidr> bmcAddress, String powerDriver,
                             String installProfile, Duration installDeadline, int installAttempts) {
    public static final String FILE_NAME = "headnode.conf";
    private static final Set<String> KEYS = Set.of("vlan", "private-address", "bmc-address", "power-driver",
            "install-profile", "install-deadline", "install-attempts");
    private static final java.util.regex.Pattern WORD = java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public HeadnodeConfig {
        java.util.Objects.requireNonNull(vlan, "vlan is null");
        java.util.Objects.requireNonNull(privateAddress, "privateAddress is null");
        java.util.Objects.requireNonNull(bmcAddress, "bmcAddress is null");
        if (powerDriver == null || !WORD.matcher(powerDriver).matches()) {
            throw new IllegalArgumentException("power-driver '" + powerDriver + "' is not a driver name");
        }
        if (installProfile == null || !WORD.matcher(installProfile).matches()) {
            throw new IllegalArgumentException("install-profile '" + installProfile + "' is not a profile name");
        }
        if (installDeadline.isNegative() || installDeadline.isZero()) {
            throw new IllegalArgumentException("install-deadline must be positive");
        }
        if (installAttempts < 1 || installAttempts > 100) {
            throw new IllegalArgumentException("install-attempts " + installAttempts + " is outside 1..100");
        }
    }

    /** The defaults for a VLAN: 10.(vlan/256).(vlan%256).1/24, AMT, the CentOS kickstart, 2 hours, 3 boots. */
    public static HeadnodeConfig defaults(Vlan vlan) {
        return new HeadnodeConfig(vlan, Ipv4Cidr.parse("10." + (vlan.id() >> 8) + "." + (vlan.id() & 255) + ".1/24"),
                Optional.empty(), "amt", "centos", Duration.ofHours(2), 3);
    }

    public static HeadnodeConfig parse(String file, byte[] content) throws ShareFormatException {
        Map<String, LineReader.Line> values = new LinkedHashMap<>();
        for (LineReader.Line line : LineReader.read(file, content)) {
            int eq = line.text().indexOf('=');
            if (eq < 0) {
                throw new ShareFormatException(file, line.number(), "line", "expected 'key = value'");
            }
            String key = line.text().substring(0, eq).strip();
            if (!KEYS.contains(key)) {
                throw new ShareFormatException(file, line.number(), key, "unknown key (known: " + String.join(", ", new java.util.TreeSet<>(KEYS)) + ")");
            }
            if (values.put(key, new LineReader.Line(line.number(), line.text().substring(eq + 1).strip())) != null) {
                throw new ShareFormatException(file, line.number(), key, "given twice");
            }
        }
        LineReader.Line vlanLine = values.get("vlan");
        if (vlanLine == null) {
            throw new ShareFormatException(file, 0, "vlan", "missing");
        }
        Vlan vlan = field(file, "vlan", vlanLine, Vlan::parse);
        HeadnodeConfig d = defaults(vlan);
        Ipv4Cidr priv = values.containsKey("private-address") ? field(file, "private-address", values.get("private-address"), Ipv4Cidr::parse) : d.privateAddress();
        Optional<Ipv4Cidr> bmc = values.containsKey("bmc-address") ? Optional.of(field(file, "bmc-address", values.get("bmc-address"), Ipv4Cidr::parse)) : Optional.empty();
        String driver = values.containsKey("power-driver") ? values.get("power-driver").text() : d.powerDriver();
        String profile = values.containsKey("install-profile") ? values.get("install-profile").text() : d.installProfile();
        Duration deadline = values.containsKey("install-deadline")
                ? field(file, "install-deadline", values.get("install-deadline"), v -> Duration.ofMinutes(positiveInt(v))) : d.installDeadline();
        int attempts = values.containsKey("install-attempts") ? field(file, "install-attempts", values.get("install-attempts"), HeadnodeConfig::positiveInt) : d.installAttempts();
        try {
            return new HeadnodeConfig(vlan, priv, bmc, driver, profile, deadline, attempts);
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().split(" ", 2)[0];
            LineReader.Line l = values.get(key);
            throw new ShareFormatException(file, l == null ? 0 : l.number(), key, e.getMessage());
        }
    }

    private interface Parser<T> {
        T parse(String text);
    }

    private static <T> T field(String file, String key, LineReader.Line line, Parser<T> parser) throws ShareFormatException {
        try {
            return parser.parse(line.text());
        } catch (IllegalArgumentException e) {
            throw new ShareFormatException(file, line.number(), key, e.getMessage());
        }
    }

    private static int positiveInt(String v) {
        try {
            int n = Integer.parseInt(v);
            if (n < 1) {
                throw new IllegalArgumentException("'" + v + "' must be at least 1");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + MacAddress.printable(v) + "' is not a whole number");
        }
    }

    public byte[] render() {
        StringBuilder b = new StringBuilder("# headnode.conf, written by headnode\n");
        b.append("vlan = ").append(vlan).append('\n');
        b.append("private-address = ").append(privateAddress).append('\n');
        bmcAddress.ifPresent(a -> b.append("bmc-address = ").append(a).append('\n'));
        b.append("power-driver = ").append(powerDriver).append('\n');
        b.append("install-profile = ").append(installProfile).append('\n');
        b.append("install-deadline = ").append(installDeadline.toMinutes()).append('\n');
        b.append("install-attempts = ").append(installAttempts).append('\n');
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
