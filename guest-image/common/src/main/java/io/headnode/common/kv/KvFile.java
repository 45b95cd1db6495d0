package io.headnode.common.kv;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;

/**
 * A {@code key = value} file: the line rules of {@link KvLines}, then one {@code key = value} per line (blanks
 * around both are dropped; the value may be empty and may hold {@code =}); a key given twice is an error.
 * Typed accessors turn values into fields and name file, line and key when one is refused:
 * <pre>
 * KvFile f = KvFile.read(path).requireKnown(KEYS);          // an unknown key is an error
 * int port = f.get("http-port", KvValues::wholeNumber, 80);
 * return f.build(() -> new Settings(port, ...));             // a FieldException from the record names its key
 * </pre>
 */
public final class KvFile {
    /** One value and the line it came from. */
    public record Entry(int line, String value) {
        public Entry {
            Objects.requireNonNull(value, "value is null");
        }
    }

    /** Turns a value into a field; refuses it with an {@link IllegalArgumentException} saying why. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String value);
    }

    private final String file;
    private final Map<String, Entry> entries;

    private KvFile(String file, Map<String, Entry> entries) {
        this.file = file;
        this.entries = Collections.unmodifiableMap(entries);
    }

    public static KvFile parse(String file, byte[] content) throws KvException {
        return parse(file, content, KvLines.MAX_BYTES);
    }

    public static KvFile parse(String file, byte[] content, int maxBytes) throws KvException {
        return parse(file, content, maxBytes, Integer.MAX_VALUE);
    }

    /** As {@link #parse(String, byte[], int)}, with at most {@code maxLines} keys (see {@link KvLines#parse(String, byte[], int, int)}). */
    public static KvFile parse(String file, byte[] content, int maxBytes, int maxLines) throws KvException {
        Objects.requireNonNull(file, "file is null");
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (KvLines.Line line : KvLines.parse(file, content, maxBytes, maxLines)) {
            int eq = line.text().indexOf('=');
            String key = eq < 0 ? "" : line.text().substring(0, eq).strip();
            if (key.isEmpty()) {
                throw new KvException(file, line.number(), "", "expected 'key = value'");
            }
            Entry before = entries.putIfAbsent(key, new Entry(line.number(), line.text().substring(eq + 1).strip()));
            if (before != null) {
                throw new KvException(file, line.number(), key, "given twice (first on line " + before.line() + ")");
            }
        }
        return new KvFile(file, entries);
    }

    /** Reads a local file (named by its path in errors): a regular file of at most {@link KvLines#MAX_BYTES}. */
    public static KvFile read(Path path) throws IOException, KvException {
        String file = path.toString();
        if (!Files.isRegularFile(path)) {
            if (!Files.exists(path)) {
                throw new NoSuchFileException(file);
            }
            throw new KvException(file, 0, "file", "not a regular file");
        }
        return parse(file, KvLines.readBounded(path, file, KvLines.MAX_BYTES));
    }

    /** The file's name as errors give it. */
    public String file() {
        return file;
    }

    /** The keys in file order. */
    public Set<String> keys() {
        return entries.keySet();
    }

    public Optional<Entry> entry(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The raw value of a key. */
    public Optional<String> text(String key) {
        return entry(key).map(Entry::value);
    }

    /** Refuses the first key (in file order) that is not in {@code known}, listing the known ones. */
    public KvFile requireKnown(Collection<String> known) throws KvException {
        for (Map.Entry<String, Entry> e : entries.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new KvException(file, e.getValue().line(), e.getKey(), "unknown key (known: " + String.join(", ", new TreeSet<>(known)) + ")");
            }
        }
        return this;
    }

    public <T> Optional<T> optional(String key, Parser<T> parser) throws KvException {
        Entry e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(parser.parse(e.value()));
        } catch (FieldException x) {
            throw new KvException(file, e.line(), key, x.problem());
        } catch (IllegalArgumentException x) {
            throw new KvException(file, e.line(), key, KvValues.refusal(x, e.value()));
        }
    }

    public <T> T get(String key, Parser<T> parser, T dflt) throws KvException {
        return optional(key, parser).orElse(dflt);
    }

    public <T> T required(String key, Parser<T> parser) throws KvException {
        if (!entries.containsKey(key)) {
            throw new KvException(file, 0, key, "missing");
        }
        return optional(key, parser).orElseThrow();
    }

    /**
     * Builds the value the file describes. A {@link FieldException} names its key, and the error gets that key's line
     * (0 when the key was not given); any other {@link IllegalArgumentException} is an error of the whole file.
     */
    public <T> T build(Supplier<T> builder) throws KvException {
        try {
            return builder.get();
        } catch (FieldException e) {
            throw error(e.field(), e.problem());
        } catch (IllegalArgumentException e) {
            throw new KvException(file, 0, "", String.valueOf(e.getMessage()));
        }
    }

    /** An error about {@code key}, at its line (0 when it was not given). */
    public KvException error(String key, String problem) {
        Entry e = entries.get(key);
        return new KvException(file, e == null ? 0 : e.line(), key, problem);
    }

    /**
     * One {@code key = value} line for a file this class will read back: refuses a value it could not read back
     * as it is (a line break or other control character, blanks around it, a {@code #} that would start a comment).
     */
    public static String line(String key, String value) {
        if (key.isEmpty() || key.indexOf('=') >= 0 || !key.equals(key.strip()) || !readsBack(key) || key.startsWith("#")) {
            throw new IllegalArgumentException("'" + key + "' cannot be a key");
        }
        if (!value.equals(value.strip()) || !readsBack(value) || value.startsWith("#")) {
            throw new FieldException(key, "'" + value + "' cannot be stored: no line breaks or control characters,"
                    + " no blanks around it, and no '#' at its start or after a blank");
        }
        return key + " = " + value + "\n";
    }

    private static boolean readsBack(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f || c == '\ufeff') {
                return false;
            }
            if (c == '#' && i > 0 && (s.charAt(i - 1) == ' ' || s.charAt(i - 1) == '\t')) {
                return false;
            }
        }
        return true;
    }
}
