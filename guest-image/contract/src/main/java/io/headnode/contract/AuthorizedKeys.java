package io.headnode.contract;

import io.headnode.common.kv.KvLines;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * authorized_keys in the share: the admins' public keys, which the agent installs as root's
 * {@code ~/.ssh/authorized_keys}. One key a line, {@code [options] <type> <base64> [comment]}, under the common line
 * rules ({@link KvLines}: UTF-8, {@code #} comments, blank lines). Checked:
 * <ul>
 *   <li>the key ({@link SshPublicKey}): a supported type, canonical base64 of that type's key data;</li>
 *   <li>options: only the restricting flags in {@link #OPTIONS} ({@code restrict}, {@code no-pty}, ...); anything
 *       that grants or runs something ({@code command=}, {@code from=}, {@code environment=}, {@code permitopen=},
 *       {@code cert-authority}, ...) is refused;</li>
 *   <li>a key may be listed once; the comment is at most {@link #MAX_COMMENT} characters;</li>
 *   <li>at most {@link #MAX_KEYS} keys, {@link #MAX_LINE} characters a line, {@link #MAX_BYTES} bytes.</li>
 * </ul>
 * Errors are {@code authorized_keys:<line>: <field>: <problem>} with field options, type, key, comment or line.
 */
public record AuthorizedKeys(List<Entry> entries) {
    public static final String FILE_NAME = "authorized_keys";
    public static final int MAX_BYTES = 256 << 10;
    public static final int MAX_KEYS = 1000;
    public static final int MAX_LINE = 8192;
    public static final int MAX_COMMENT = 200;
    /** The options a line may carry: each only takes something away. */
    public static final Set<String> OPTIONS = Set.of("restrict", "no-agent-forwarding", "no-port-forwarding", "no-pty",
            "no-user-rc", "no-X11-forwarding");

    /** One key line. */
    public record Entry(List<String> options, SshPublicKey key, String comment) {
        public Entry {
            options = List.copyOf(new LinkedHashSet<>(options));
            Objects.requireNonNull(key, "key is null");
            comment = comment == null ? "" : comment;
            for (String o : options) {
                if (!OPTIONS.contains(o)) {
                    throw new IllegalArgumentException("option '" + o + "' is not allowed");
                }
            }
            if (comment.length() > MAX_COMMENT) {
                throw new IllegalArgumentException("comment longer than " + MAX_COMMENT + " characters");
            }
        }

        /** The line as sshd reads it. */
        public String line() {
            return (options.isEmpty() ? "" : String.join(",", options) + " ") + key + (comment.isEmpty() ? "" : " " + comment);
        }
    }

    public AuthorizedKeys {
        entries = List.copyOf(entries);
        if (entries.size() > MAX_KEYS) {
            throw new IllegalArgumentException(entries.size() + " keys, more than " + MAX_KEYS);
        }
        Set<SshPublicKey> seen = new java.util.HashSet<>();
        for (Entry e : entries) {
            if (!seen.add(e.key())) {
                throw new IllegalArgumentException("key " + e.key().fingerprint() + " is listed twice");
            }
        }
    }

    public static AuthorizedKeys parse(String file, byte[] content) throws ShareFormatException {
        if (content.length > MAX_BYTES) {
            throw new ShareFormatException(file, 0, "file", "larger than " + MAX_BYTES + " bytes");
        }
        Map<SshPublicKey, Integer> firstLine = new HashMap<>();
        List<Entry> out = new ArrayList<>();
        for (KvLines.Line line : ShareFormatException.lines(file, content, MAX_BYTES, MAX_KEYS + 1)) {
            int n = line.number();
            if (line.text().length() > MAX_LINE) {
                throw new ShareFormatException(file, n, "line", "longer than " + MAX_LINE + " characters");
            }
            if (out.size() == MAX_KEYS) {
                throw new ShareFormatException(file, n, "line", "more than " + MAX_KEYS + " keys");
            }
            String[] w = line.words();
            int at = 0;
            List<String> options = List.of();
            if (!looksLikeType(w[0])) {   // as sshd reads it: a first word that is no key type is the options
                options = options(file, n, w[0]);
                at = 1;
            }
            if (w.length < at + 2) {
                throw new ShareFormatException(file, n, w.length == at + 1 && looksLikeType(w[at]) ? "key" : "type",
                        "missing: expected '[options] <type> <base64> [comment]'");
            }
            SshPublicKey key;
            try {
                key = new SshPublicKey(w[at], w[at + 1]);
            } catch (IllegalArgumentException e) {
                throw new ShareFormatException(file, n, SshPublicKey.TYPES.contains(w[at]) ? "key" : "type", e.getMessage());
            }
            String comment = String.join(" ", java.util.Arrays.copyOfRange(w, at + 2, w.length));
            if (comment.length() > MAX_COMMENT) {
                throw new ShareFormatException(file, n, "comment", "longer than " + MAX_COMMENT + " characters");
            }
            Integer before = firstLine.putIfAbsent(key, n);
            if (before != null) {
                throw new ShareFormatException(file, n, "key", key.fingerprint() + " is already listed on line " + before);
            }
            out.add(new Entry(options, key, comment));
        }
        return new AuthorizedKeys(out);
    }

    /** A word shaped like a key type: a supported one, or another (ssh-dss, a certificate type), refused later by name. */
    private static boolean looksLikeType(String w) {
        return SshPublicKey.TYPES.contains(w) || w.matches("(ssh|ecdsa|sk)-[A-Za-z0-9@.-]{1,60}");
    }

    private static List<String> options(String file, int line, String word) throws ShareFormatException {
        List<String> out = new ArrayList<>();
        for (String o : word.split(",", -1)) {
            if (!OPTIONS.contains(o)) {
                String name = o.contains("=") ? o.substring(0, o.indexOf('=') + 1) + "..." : o;
                throw new ShareFormatException(file, line, "options", "'" + MacAddress.printable(name) + "' is not allowed (allowed: "
                        + String.join(", ", new java.util.TreeSet<>(OPTIONS)) + "; options that grant or run something are refused)");
            }
            out.add(o);
        }
        return out;
    }

    /** Canonical text, one key a line in the given order; sshd reads it as is. */
    public byte[] render() {
        StringBuilder b = new StringBuilder("# authorized_keys, written by headnode\n");
        entries.forEach(e -> b.append(e.line()).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }
}
