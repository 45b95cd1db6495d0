package io.headnode.contract;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One line of the guest agent's status channel, as both sides see it. The agent writes one JSON object per line
 * ({@link #toJson()}) to the virtio-serial port named {@link #CHANNEL} (in the guest {@link #GUEST_PORT}) on every
 * change and at least every {@link #MAX_INTERVAL_SECONDS} seconds; the host parses it back with {@link #parse}.
 * Every text field is cut to a fixed length and at most {@link #MAX_MACHINES} machines are listed, so a line stays
 * under {@link #MAX_LINE_BYTES}.
 *
 * @param ready           a good configuration is in force and every service is healthy
 * @param share           the last poll of the share: mounted-ro, missing, or invalid with the problem
 * @param vlan            the VLAN of the configuration in force; null before the first valid share
 * @param machines        the listed machines and their install state (the first {@link #MAX_MACHINES})
 * @param omittedMachines how many listed machines did not fit
 * @param services        health by service name (network, install-profile, dhcpd, tftpboot, tftpd, radvd, ...)
 * @param updated         when the agent published the line; null until it does
 * @param ssh             how to reach the head node by ssh: its public addresses and host keys ({@link Ssh#NONE} until known)
 */
public record AgentStatus(boolean ready, Share share, Vlan vlan, List<MachineStatus> machines, int omittedMachines,
                          Map<String, Health> services, Instant updated, Ssh ssh) {
    public static final String CHANNEL = "io.headnode.status";
    public static final String GUEST_PORT = "/dev/virtio-ports/" + CHANNEL;
    public static final int MAX_INTERVAL_SECONDS = 10;
    public static final int MAX_MACHINES = 4096;
    public static final int MAX_SERVICES = 32;
    public static final int MAX_DETAIL = 200;
    public static final int MAX_PROBLEM = 400;
    /** Upper bound of one line: machines x (fields + detail) + services + share. */
    public static final int MAX_LINE_BYTES = 2 << 20;

    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .addMixIn(Vlan.class, VlanJson.class)
            .addMixIn(MacAddress.class, MacJson.class)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)   // a newer agent may add fields
            .build();

    public AgentStatus {
        Objects.requireNonNull(share, "share is null");
        machines = machines == null ? List.of() : machines;
        if (omittedMachines < 0) {
            throw new IllegalArgumentException("omittedMachines " + omittedMachines + " is negative");
        }
        if (machines.size() > MAX_MACHINES) {
            omittedMachines += machines.size() - MAX_MACHINES;
            machines = machines.subList(0, MAX_MACHINES);
        }
        machines = List.copyOf(machines);
        Map<String, Health> s = new LinkedHashMap<>();
        if (services != null) {
            services.forEach((k, v) -> {
                if (s.size() < MAX_SERVICES) {
                    s.put(bounded(Objects.requireNonNull(k, "service name is null"), 40), Objects.requireNonNull(v, "health is null"));
                }
            });
        }
        services = Collections.unmodifiableMap(s);
        ssh = ssh == null ? Ssh.NONE : ssh;
    }

    /** A status without ssh access (none known yet). */
    public AgentStatus(boolean ready, Share share, Vlan vlan, List<MachineStatus> machines, int omittedMachines,
                       Map<String, Health> services, Instant updated) {
        this(ready, share, vlan, machines, omittedMachines, services, updated, Ssh.NONE);
    }

    /** The same status, stamped with the time it is published. */
    public AgentStatus withUpdated(Instant at) {
        return new AgentStatus(ready, share, vlan, machines, omittedMachines, services, at, ssh);
    }

    /** The same status with this ssh access. */
    public AgentStatus withSsh(Ssh access) {
        return new AgentStatus(ready, share, vlan, machines, omittedMachines, services, updated, access);
    }

    /** One line of JSON (no line break). */
    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the status as JSON", e);
        }
    }

    /** The JSON tree (for callers that embed the status in a larger document). */
    public JsonNode toJsonTree() {
        return JSON.valueToTree(this);
    }

    /** Parses one line; IllegalArgumentException naming the problem if it is not a status line. */
    public static AgentStatus parse(String line) {
        if (line.length() > MAX_LINE_BYTES) {
            throw new IllegalArgumentException("status line of " + line.length() + " characters is over " + MAX_LINE_BYTES);
        }
        try {
            AgentStatus s = JSON.readValue(line, AgentStatus.class);
            if (s == null) {
                throw new IllegalArgumentException("status line is null");
            }
            return s;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a status line: " + e.getOriginalMessage(), e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("not a status line: " + e.getMessage(), e);
        }
    }

    /** {@code s} cut to {@code max} characters (the last three being "..."); null stays null. */
    public static String bounded(String s, int max) {
        if (s == null || s.length() <= max) {
            return s;
        }
        int end = max - 3;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "...";
    }

    /** The share as the agent last read it. On the wire: {@code mounted-ro}, {@code missing} or {@code invalid: <file:line: field: problem>}. */
    public record Share(ShareState state, String problem) {
        private static final String INVALID_PREFIX = "invalid: ";

        public Share {
            Objects.requireNonNull(state, "state is null");
            problem = state == ShareState.INVALID ? bounded(Objects.requireNonNull(problem, "problem is null"), MAX_PROBLEM) : "";
        }

        public static Share mounted() {
            return new Share(ShareState.MOUNTED_RO, "");
        }

        public static Share missing() {
            return new Share(ShareState.MISSING, "");
        }

        public static Share invalid(String problem) {
            return new Share(ShareState.INVALID, problem);
        }

        @JsonValue
        public String text() {
            return state == ShareState.INVALID ? INVALID_PREFIX + problem : state.word();
        }

        @JsonCreator
        public static Share parse(String text) {
            if (text.startsWith(INVALID_PREFIX)) {
                return invalid(text.substring(INVALID_PREFIX.length()));
            }
            for (ShareState s : ShareState.values()) {
                if (s != ShareState.INVALID && s.word().equals(text)) {
                    return new Share(s, "");
                }
            }
            throw new IllegalArgumentException("share '" + bounded(text, 40) + "' is not mounted-ro, missing or invalid: ...");
        }

        @Override
        public String toString() {
            return text();
        }
    }

    public enum ShareState {
        MOUNTED_RO("mounted-ro"), MISSING("missing"), INVALID("invalid");

        private final String word;

        ShareState(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    /** A listed machine: its install state, fixed address (null if none yet), time of the last change (null if none) and detail. */
    public record MachineStatus(MacAddress mac, MachineState state, String address, Instant since, String detail) {
        public MachineStatus {
            Objects.requireNonNull(mac, "mac is null");
            Objects.requireNonNull(state, "state is null");
            address = bounded(address, 45);
            detail = bounded(detail == null ? "" : detail, MAX_DETAIL);
        }
    }

    /** Where a listed machine stands (the agent's install state machine; see docs/agent.md). */
    public enum MachineState {
        KNOWN, REQUESTED, INSTALLING, INSTALLED, ACTIVE, FAILED;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static MachineState of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * A service's health: a state and a short detail ("running", "listening on 10.0.5.1:80", or why not).
     * On the wire: {@code {"state":"ok","detail":"running"}}.
     */
    public record Health(HealthState state, String detail) {
        public Health {
            Objects.requireNonNull(state, "state is null");
            detail = bounded(detail == null ? "" : detail, MAX_DETAIL);
        }

        public static Health ok(String detail) {
            return new Health(HealthState.OK, detail);
        }

        public static Health unmanaged() {
            return new Health(HealthState.UNMANAGED, "not managed by the agent (agent.conf)");
        }

        public static Health pending(String detail) {
            return new Health(HealthState.PENDING, detail);
        }

        public static Health down(String detail) {
            return new Health(HealthState.DOWN, detail);
        }

        public static Health failed(String detail) {
            return new Health(HealthState.FAILED, detail);
        }

        /** Counts towards ready: in line, or deliberately left alone. */
        public boolean healthy() {
            return state == HealthState.OK || state == HealthState.UNMANAGED;
        }

        @Override
        public String toString() {
            return state.word() + (detail.isEmpty() ? "" : ": " + detail);
        }
    }

    /**
     * OK: in line and running. UNMANAGED: left alone by configuration. PENDING: not applied yet (no valid share).
     * DOWN: should run but does not (being restarted with backoff). FAILED: the last apply failed (retried after
     * its backoff; the detail says why).
     */
    public enum HealthState {
        OK, UNMANAGED, PENDING, DOWN, FAILED;

        @JsonValue
        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }

        @JsonCreator
        public static HealthState of(String word) {
            return valueOf(word.toUpperCase(Locale.ROOT));
        }
    }

    /**
     * What an admin needs to ssh to the head node without trusting on first use: the public interface's addresses
     * (global IPv4, then global IPv6, then link-local IPv6; no prefix length) and the host keys sshd serves, each with
     * its SHA256 fingerprint. At most {@link #MAX_ADDRESSES} and {@link #MAX_HOST_KEYS}; more are cut.
     */
    public record Ssh(List<String> addresses, List<HostKey> hostKeys) {
        public static final int MAX_ADDRESSES = 8;
        public static final int MAX_HOST_KEYS = 8;
        public static final Ssh NONE = new Ssh(List.of(), List.of());
        private static final java.util.regex.Pattern IPV4 = java.util.regex.Pattern.compile(
                "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
        private static final java.util.regex.Pattern IPV6 = java.util.regex.Pattern.compile("[0-9a-f:.]{2,45}");

        public Ssh {
            addresses = addresses == null ? List.of() : List.copyOf(addresses.subList(0, Math.min(addresses.size(), MAX_ADDRESSES)));
            hostKeys = hostKeys == null ? List.of() : List.copyOf(hostKeys.subList(0, Math.min(hostKeys.size(), MAX_HOST_KEYS)));
            for (String a : addresses) {
                if (!isAddress(a)) {
                    throw new IllegalArgumentException("'" + bounded(MacAddress.printable(a), 48) + "' is not an IP address");
                }
            }
        }

        /** An IPv4 or IPv6 literal (lower case, no scope, no prefix): never a name that would need DNS. */
        public static boolean isAddress(String a) {
            if (a == null) {
                return false;
            }
            if (IPV4.matcher(a).matches()) {
                return true;
            }
            if (!a.contains(":") || !IPV6.matcher(a).matches()) {
                return false;
            }
            try {
                return java.net.InetAddress.getByName(a) instanceof java.net.Inet6Address;   // a literal with ':' is never looked up
            } catch (java.net.UnknownHostException e) {
                return false;
            }
        }

        /** The address to connect to: the first global one (IPv4 before IPv6); link-local addresses need an interface. */
        public java.util.Optional<String> connectAddress() {
            return addresses.stream().filter(a -> !a.startsWith("fe80:")).findFirst();
        }
    }

    /**
     * One host key: its type, the base64 key data (public; checked as {@link SshPublicKey}) and its SHA256 fingerprint,
     * which must be the key's (it is filled in when absent).
     */
    public record HostKey(String type, String key, String fingerprint) {
        public HostKey {
            SshPublicKey k = new SshPublicKey(type, key);
            if (fingerprint == null) {
                fingerprint = k.fingerprint();
            } else if (!fingerprint.equals(k.fingerprint())) {
                throw new IllegalArgumentException("host key fingerprint " + bounded(MacAddress.printable(fingerprint), 60) + " is not the key's");
            }
        }

        public static HostKey of(SshPublicKey k) {
            return new HostKey(k.type(), k.base64(), k.fingerprint());
        }

        public SshPublicKey publicKey() {
            return new SshPublicKey(type, key);
        }
    }

    /** Jackson view of {@link Vlan}: the number. */
    abstract static class VlanJson {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        VlanJson(int id) {
        }

        @JsonValue
        abstract int id();
    }

    /** Jackson view of {@link MacAddress}: the colon form. */
    abstract static class MacJson {
        @JsonCreator(mode = JsonCreator.Mode.DELEGATING)
        MacJson(String value) {
        }

        @JsonValue
        abstract String value();
    }
}
