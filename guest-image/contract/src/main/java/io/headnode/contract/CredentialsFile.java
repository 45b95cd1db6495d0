package io.headnode.contract;

import io.headnode.common.kv.FieldException;
import io.headnode.common.kv.KvLines;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * credentials.conf in the share ({@link ShareLayout#CREDENTIALS_FILE}), written by the host with mode 0600:
 * which power driver and secrets reach each node's BMC. One entry per line:
 * <pre>
 * # key               field=value ...
 * *                   user=admin secret=amt-pass            # every node without its own entry, default driver
 * 10.0.0.7            driver=ipmi user=root secret=calvin
 * 10.0.0.8:8443       driver=redfish user=root secret=pw auth=session ca=bmc-ca.pem
 * 52:54:00:aa:00:01   driver=libvirt uri=qemu:///system domain=node1
 * </pre>
 * The key is a node's MAC, its BMC address (as in machines.txt; an entry without a port matches any port), or {@code *}.
 * The fields are {@code driver}, {@code user}, {@code secret} and the driver's options. The contract is driver-neutral:
 * {@link #parse} checks the form (keys, names, escapes; a driver is a name), and {@link #validate} checks each entry
 * against the {@link DriverOptions} its driver declares. A value is one word; {@code %XX} escapes any byte (for example
 * {@code %20} a space, {@code %23} a #, {@code %25} a %). Lookup order: MAC, exact BMC address, BMC host, {@code *}.
 * Errors name file, line and field; a secret is never part of an error message, {@code toString()} or a log line.
 */
public final class CredentialsFile {
    public static final String FILE_NAME = ShareLayout.CREDENTIALS_FILE;
    public static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");
    /** The size bound of credentials.conf. */
    public static final int MAX_BYTES = 4 << 20;
    /** Entries at most: one per listed machine ({@link MachineList#MAX_MACHINES}) and as many again by address, host or wildcard. */
    public static final int MAX_ENTRIES = 2 * MachineList.MAX_MACHINES;
    private static final Pattern ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");
    private final List<BmcCredentials> entries;
    /** The file the entries came from (for errors) and each entry's line; no lines for entries built in code. */
    private final String file;
    private final Map<BmcCredentials.Key, Integer> lines;

    public CredentialsFile(List<BmcCredentials> entries) {
        this(FILE_NAME, entries, Map.of());
    }

    private CredentialsFile(String file, List<BmcCredentials> entries, Map<BmcCredentials.Key, Integer> lines) {
        this.file = Objects.requireNonNull(file, "file is null");
        this.entries = List.copyOf(entries);
        this.lines = Map.copyOf(lines);
        Set<BmcCredentials.Key> seen = new HashSet<>();
        for (BmcCredentials c : this.entries) {
            if (!seen.add(c.key())) {
                throw new IllegalArgumentException("key " + c.key() + " has two entries");
            }
        }
    }

    public static CredentialsFile empty() {
        return new CredentialsFile(List.of());
    }

    public List<BmcCredentials> entries() {
        return entries;
    }

    /**
     * Reads the share's credentials.conf under the complete-read rule; empty when there is none. Refuses a file that
     * group or others may read or write.
     */
    public static Optional<CredentialsFile> read(ShareFileReader share, Path path) throws IOException, ShareFormatException {
        Optional<byte[]> content = share.read(path, FILE_NAME, MAX_BYTES);
        if (content.isEmpty()) {
            return Optional.empty();
        }
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        for (PosixFilePermission p : perms) {
            if (!p.name().startsWith("OWNER")) {
                throw new ShareFormatException(FILE_NAME, 0, "mode",
                        "is " + PosixFilePermissions.toString(perms) + "; credentials must be readable by their owner only (0600)");
            }
        }
        return Optional.of(parse(FILE_NAME, content.get()));
    }

    /** Parses the form of the file (no driver's options are checked here: see {@link #validate}). */
    public static CredentialsFile parse(String file, byte[] content) throws ShareFormatException {
        List<BmcCredentials> out = new ArrayList<>();
        Map<BmcCredentials.Key, Integer> firstLine = new HashMap<>();
        for (KvLines.Line line : ShareFormatException.lines(file, content, MAX_BYTES, MAX_ENTRIES)) {
            String[] f = line.words();
            BmcCredentials.Key key;
            try {
                key = BmcCredentials.Key.parse(f[0]);
            } catch (IllegalArgumentException e) {
                throw new ShareFormatException(file, line.number(), "key", e.getMessage());
            }
            Integer before = firstLine.putIfAbsent(key, line.number());
            if (before != null) {
                throw new ShareFormatException(file, line.number(), "key", key + " already has an entry on line " + before);
            }
            out.add(entry(file, line.number(), key, fields(file, line.number(), f)));
        }
        return new CredentialsFile(file, out, firstLine);
    }

    private static Map<String, String> fields(String file, int line, String[] words) throws ShareFormatException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (int i = 1; i < words.length; i++) {
            int eq = words[i].indexOf('=');
            String name = eq < 0 ? words[i] : words[i].substring(0, eq);
            if (eq <= 0) {
                throw new ShareFormatException(file, line, eq == 0 ? "field" : MacAddress.printable(name), "expected name=value");
            }
            if (fields.containsKey(name)) {
                throw new ShareFormatException(file, line, MacAddress.printable(name), "given twice");
            }
            try {
                fields.put(name, unescape(words[i].substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw new ShareFormatException(file, line, MacAddress.printable(name), name.equals("secret") ? "bad % escape" : e.getMessage());
            }
        }
        return fields;
    }

    private static BmcCredentials entry(String file, int line, BmcCredentials.Key key, Map<String, String> fields) throws ShareFormatException {
        Optional<String> driver = Optional.ofNullable(fields.remove("driver"));
        Optional<String> user = Optional.ofNullable(fields.remove("user"));
        Optional<String> secret = Optional.ofNullable(fields.remove("secret"));
        if (secret.isPresent() && secret.get().isEmpty()) {
            throw new ShareFormatException(file, line, "secret", "is empty");
        }
        try {
            return new BmcCredentials(key, driver, user, secret.map(Secret::new), fields);
        } catch (FieldException e) {
            throw new ShareFormatException(file, line, e.field(), e.problem());
        }
    }

    /**
     * Checks every entry against the driver it will use: its own {@code driver=}, else {@code defaultDriver}
     * (headnode.conf's power-driver). Errors name this file, the entry's line and the field.
     */
    public void validate(String defaultDriver, Map<String, DriverOptions> drivers) throws ShareFormatException {
        Objects.requireNonNull(defaultDriver, "defaultDriver is null");
        for (BmcCredentials c : entries) {
            int line = lines.getOrDefault(c.key(), 0);
            String name = c.driverOr(defaultDriver);
            DriverOptions d = drivers.get(name);
            if (d == null) {
                throw new ShareFormatException(file, line, "driver", "'" + MacAddress.printable(name) + "'"
                        + (c.driver().isPresent() ? "" : " (headnode.conf's power-driver)") + " is unknown (known: "
                        + String.join(", ", new TreeSet<>(drivers.keySet())) + ")");
            }
            try {
                d.check(c);
            } catch (FieldException e) {
                throw new ShareFormatException(file, line, e.field(), e.problem());
            }
        }
    }

    static String unescape(String v) {
        if (v.indexOf('%') < 0) {
            return v;
        }
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c == '%') {
                if (i + 3 > v.length() || !ESCAPE.matcher(v.substring(i, i + 3)).matches()) {
                    throw new IllegalArgumentException("bad % escape at column " + (i + 1) + " (use %XX, e.g. %25 for %)");
                }
                b.write(Integer.parseInt(v.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                int cp = v.codePointAt(i); // whole code points: a lone surrogate would be written as '?'
                b.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
                i += Character.charCount(cp) - 1;
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    static String escape(String v) {
        StringBuilder b = new StringBuilder();
        for (byte x : v.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if (c <= 0x20 || c >= 0x7f || c == '%' || c == '#' || c == '=') {
                b.append(String.format(java.util.Locale.ROOT, "%%%02X", c));
            } else {
                b.append((char) c);
            }
        }
        return b.toString();
    }

    /** The entry that applies to a machine: by MAC, else exact BMC address, else BMC host, else {@code *}. */
    public Optional<BmcCredentials> lookup(Machine machine) {
        BmcCredentials byHost = null;
        BmcCredentials any = null;
        for (BmcCredentials c : entries) {
            if (c.key() instanceof BmcCredentials.MacKey m && m.mac().equals(machine.mac())) {
                return Optional.of(c);
            }
        }
        for (BmcCredentials c : entries) {
            if (c.key() instanceof BmcCredentials.BmcKey b) {
                if (b.bmc().equals(machine.bmc())) {
                    return Optional.of(c);
                }
                if (!b.bmc().hasPort() && b.bmc().host().equals(machine.bmc().host())) {
                    byHost = c;
                }
            } else if (c.key() instanceof BmcCredentials.AnyKey) {
                any = c;
            }
        }
        return Optional.ofNullable(byHost != null ? byHost : any);
    }

    /** Canonical text (secrets included: this is the file itself). */
    public byte[] render() {
        StringBuilder b = new StringBuilder("# credentials.conf: <mac|bmc-address|*> field=value ..., written by headnode, mode 0600\n");
        for (BmcCredentials c : entries) {
            b.append(c.key());
            c.driver().ifPresent(d -> b.append(" driver=").append(d));
            c.user().ifPresent(u -> b.append(" user=").append(escape(u)));
            c.secret().ifPresent(s -> b.append(" secret=").append(escape(s.reveal())));
            c.options().forEach((k, v) -> b.append(' ').append(k).append('=').append(escape(v)));
            b.append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Writes atomically with mode 0600 (unchanged content is not rewritten). */
    public boolean write(Path path) throws IOException {
        return AtomicFiles.writeIfChanged(path, render(), MODE);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CredentialsFile f && f.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "CredentialsFile" + entries;
    }
}
