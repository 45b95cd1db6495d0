package io.headnode.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
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
 * A value is one word; {@code %XX} escapes any byte (for example {@code %20} a space, {@code %23} a #, {@code %25} a %).
 * Lookup order: MAC, exact BMC address, BMC host, {@code *}. Parse errors name file, line and field; a secret is
 * never part of an error message, {@code toString()} or a log line.
 */
public record CredentialsFile(List<BmcCredentials> entries) {
    public static final String FILE_NAME = ShareLayout.CREDENTIALS_FILE;
    public static final Set<PosixFilePermission> MODE = PosixFilePermissions.fromString("rw-------");

    /** Driver name to the options it understands (besides driver, user and secret). */
    public static final Map<String, Set<String>> DRIVER_OPTIONS = Map.of(
            "amt", Set.of("protocol", "tls", "ca"),
            "ipmi", Set.of("cipher", "privilege"),
            "redfish", Set.of("auth", "system", "ca"),
            "libvirt", Set.of("uri", "domain"));

    private static final Map<String, Predicate<String>> VALID = Map.of(
            "protocol", v -> v.equals("wsman") || v.equals("form"),
            "tls", v -> v.equals("yes") || v.equals("no"),
            "cipher", v -> v.matches("[0-9]{1,2}"),
            "privilege", v -> v.matches("(?i)callback|user|operator|administrator"),
            "auth", v -> v.equals("session") || v.equals("basic"),
            "system", v -> v.startsWith("/redfish/v1/Systems/"),
            "domain", v -> v.matches("[A-Za-z0-9_.+-]{1,200}"),
            "uri", v -> v.matches("[a-z][a-z0-9+.-]*:.*"),
            "ca", v -> !v.isEmpty(),
            "user", v -> !v.isEmpty());
    private static final String[] HINTS = {"protocol", "wsman or form", "tls", "yes or no", "cipher", "an IPMI cipher suite number",
            "privilege", "callback, user, operator or administrator", "auth", "session or basic", "system", "a path /redfish/v1/Systems/...",
            "domain", "a libvirt domain name", "uri", "a libvirt URI", "ca", "a PEM file", "user", "a user name"};
    private static final Pattern ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");

    public CredentialsFile {
        entries = List.copyOf(entries);
        Set<BmcCredentials.Key> seen = new java.util.HashSet<>();
        for (BmcCredentials c : entries) {
            if (!seen.add(c.key())) {
                throw new IllegalArgumentException("key " + c.key() + " has two entries");
            }
        }
    }

    public static CredentialsFile empty() {
        return new CredentialsFile(List.of());
    }

    /** Reads the file, refusing it when group or others may read or write it. */
    public static CredentialsFile read(Path path) throws IOException, ShareFormatException {
        Set<PosixFilePermission> perms = Files.getPosixFilePermissions(path);
        for (PosixFilePermission p : perms) {
            if (!p.name().startsWith("OWNER")) {
                throw new ShareFormatException(path.toString(), 0, "mode",
                        "is " + PosixFilePermissions.toString(perms) + "; credentials must be readable by their owner only (0600)");
            }
        }
        return parse(path.toString(), Files.readAllBytes(path));
    }

    public static CredentialsFile parse(String file, byte[] content) throws ShareFormatException {
        List<BmcCredentials> out = new ArrayList<>();
        Map<BmcCredentials.Key, Integer> firstLine = new HashMap<>();
        for (LineReader.Line line : LineReader.read(file, content)) {
            String[] f = line.fields();
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
            Map<String, String> fields = new LinkedHashMap<>();
            for (int i = 1; i < f.length; i++) {
                int eq = f[i].indexOf('=');
                String name = eq < 0 ? f[i] : f[i].substring(0, eq);
                if (eq <= 0) {
                    throw new ShareFormatException(file, line.number(), eq == 0 ? "field" : MacAddress.printable(name), "expected name=value");
                }
                if (fields.containsKey(name)) {
                    throw new ShareFormatException(file, line.number(), MacAddress.printable(name), "given twice");
                }
                try {
                    fields.put(name, unescape(f[i].substring(eq + 1)));
                } catch (IllegalArgumentException e) {
                    throw new ShareFormatException(file, line.number(), MacAddress.printable(name), name.equals("secret") ? "bad % escape" : e.getMessage());
                }
            }
            out.add(entry(file, line.number(), key, fields));
        }
        return new CredentialsFile(out);
    }

    private static BmcCredentials entry(String file, int line, BmcCredentials.Key key, Map<String, String> fields) throws ShareFormatException {
        Optional<String> driver = Optional.ofNullable(fields.remove("driver"));
        if (driver.isPresent() && !DRIVER_OPTIONS.containsKey(driver.get())) {
            throw new ShareFormatException(file, line, "driver", "'" + MacAddress.printable(driver.get()) + "' is unknown (known: "
                    + String.join(", ", new java.util.TreeSet<>(DRIVER_OPTIONS.keySet())) + ")");
        }
        Optional<String> user = Optional.ofNullable(fields.remove("user"));
        Optional<Secret> secret;
        try {
            secret = Optional.ofNullable(fields.remove("secret")).map(Secret::new);
        } catch (IllegalArgumentException e) {
            throw new ShareFormatException(file, line, "secret", "is empty");
        }
        Set<String> allowed = driver.map(DRIVER_OPTIONS::get).orElseGet(() -> {
            Set<String> all = new java.util.TreeSet<>();
            DRIVER_OPTIONS.values().forEach(all::addAll);
            return all;
        });
        user.ifPresent(u -> fields.put("user", u));
        for (Map.Entry<String, String> e : fields.entrySet()) {
            String name = e.getKey();
            if (!name.equals("user") && !allowed.contains(name)) {
                throw new ShareFormatException(file, line, MacAddress.printable(name), "unknown field" + driver.map(d -> " for driver " + d).orElse("")
                        + " (known: driver, user, secret, " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
            Predicate<String> valid = VALID.get(name);
            if (valid != null && !valid.test(e.getValue())) {
                throw new ShareFormatException(file, line, name, "'" + MacAddress.printable(e.getValue()) + "' is not " + hint(name));
            }
        }
        fields.remove("user");
        if (driver.isPresent() && driver.get().equals("libvirt")) {
            for (String required : List.of("uri", "domain")) {
                if (!fields.containsKey(required)) {
                    throw new ShareFormatException(file, line, required, "missing (driver libvirt needs uri and domain)");
                }
            }
        } else if (driver.isPresent()) {
            if (secret.isEmpty()) {
                throw new ShareFormatException(file, line, "secret", "missing (driver " + driver.get() + " needs user and secret)");
            }
        }
        return new BmcCredentials(key, driver, user, secret, fields);
    }

    private static String hint(String name) {
        for (int i = 0; i < HINTS.length; i += 2) {
            if (HINTS[i].equals(name)) {
                return HINTS[i + 1];
            }
        }
        return "valid";
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
                b.writeBytes(String.valueOf(c).getBytes(StandardCharsets.UTF_8));
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
    public String toString() {
        return "CredentialsFile" + entries;
    }
}
