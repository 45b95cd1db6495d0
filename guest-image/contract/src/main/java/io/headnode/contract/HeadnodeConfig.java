package io.headnode.contract;

import io.headnode.common.kv.FieldException;
import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvFile;
import io.headnode.common.kv.KvValues;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
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
    /** The size bound of headnode.conf. */
    public static final int MAX_BYTES = 64 << 10;
    /** Keys at most (each known key once; more lines than this cannot be a valid file, whatever they say). */
    public static final int MAX_LINES = 64;
    /** The power driver of machines without a driver of their own when headnode.conf names none (the seed's). */
    public static final String DEFAULT_POWER_DRIVER = "amt";
    private static final Set<String> KEYS = Set.of("vlan", "private-address", "bmc-address", "power-driver",
            "install-profile", "install-deadline", "install-attempts");
    private static final java.util.regex.Pattern PROFILE = java.util.regex.Pattern.compile("[a-z][a-z0-9_-]{0,31}");

    public HeadnodeConfig {
        Objects.requireNonNull(vlan, "vlan is null");
        Objects.requireNonNull(privateAddress, "privateAddress is null");
        Objects.requireNonNull(bmcAddress, "bmcAddress is null");
        Objects.requireNonNull(installDeadline, "installDeadline is null");
        if (powerDriver == null || !DriverOptions.isDriverName(powerDriver)) {
            throw new FieldException("power-driver", "'" + (powerDriver == null ? "" : MacAddress.printable(powerDriver)) + "' is not a driver name");
        }
        if (installProfile == null || !PROFILE.matcher(installProfile).matches()) {
            throw new FieldException("install-profile", "'" + (installProfile == null ? "" : MacAddress.printable(installProfile)) + "' is not a profile name");
        }
        if (installDeadline.isNegative() || installDeadline.isZero()) {
            throw new FieldException("install-deadline", "must be positive");
        }
        if (installAttempts < 1 || installAttempts > 100) {
            throw new FieldException("install-attempts", installAttempts + " is outside 1..100");
        }
    }

    /** The defaults for a VLAN: 10.(vlan/256).(vlan%256).1/24, AMT, the CentOS kickstart, 2 hours, 3 boots. */
    public static HeadnodeConfig defaults(Vlan vlan) {
        return new HeadnodeConfig(vlan, Ipv4Cidr.parse("10." + (vlan.id() >> 8) + "." + (vlan.id() & 255) + ".1/24"),
                Optional.empty(), DEFAULT_POWER_DRIVER, "centos", Duration.ofHours(2), 3);
    }

    public static HeadnodeConfig parse(String file, byte[] content) throws ShareFormatException {
        try {
            KvFile f = KvFile.parse(file, content, MAX_BYTES, MAX_LINES).requireKnown(KEYS);
            Vlan vlan = f.required("vlan", Vlan::parse);
            HeadnodeConfig d = defaults(vlan);
            Ipv4Cidr privateAddress = f.get("private-address", Ipv4Cidr::parse, d.privateAddress());
            Optional<Ipv4Cidr> bmcAddress = f.optional("bmc-address", Ipv4Cidr::parse);
            String driver = f.text("power-driver").orElse(d.powerDriver());
            String profile = f.text("install-profile").orElse(d.installProfile());
            Duration deadline = f.get("install-deadline", v -> Duration.ofMinutes(positiveInt(v)), d.installDeadline());
            int attempts = f.get("install-attempts", HeadnodeConfig::positiveInt, d.installAttempts());
            return f.build(() -> new HeadnodeConfig(vlan, privateAddress, bmcAddress, driver, profile, deadline, attempts));
        } catch (KvException e) {
            throw ShareFormatException.of(e);
        }
    }

    private static int positiveInt(String v) {
        int n = KvValues.wholeNumber(v);
        if (n < 1) {
            throw new IllegalArgumentException("'" + v + "' must be at least 1");
        }
        return n;
    }

    public byte[] render() {
        StringBuilder b = new StringBuilder("# headnode.conf, written by headnode\n");
        b.append(KvFile.line("vlan", vlan.toString()));
        b.append(KvFile.line("private-address", privateAddress.toString()));
        bmcAddress.ifPresent(a -> b.append(KvFile.line("bmc-address", a.toString())));
        b.append(KvFile.line("power-driver", powerDriver));
        b.append(KvFile.line("install-profile", installProfile));
        b.append(KvFile.line("install-deadline", Long.toString(installDeadline.toMinutes())));
        b.append(KvFile.line("install-attempts", Integer.toString(installAttempts)));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
