package io.headnode.common.kv;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** Parsers for common value types, for {@link KvFile}'s accessors; each refuses a value saying what it expected. */
public final class KvValues {
    private KvValues() {
    }

    public static int wholeNumber(String v) {
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quote(v) + " is not a whole number");
        }
    }

    public static long longNumber(String v) {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(quote(v) + " is not a whole number");
        }
    }

    /** true/yes or false/no. */
    public static boolean bool(String v) {
        return switch (v) {
            case "true", "yes" -> true;
            case "false", "no" -> false;
            default -> throw new IllegalArgumentException(quote(v) + " is not true or false");
        };
    }

    public static Path path(String v) {
        if (v.isEmpty()) {
            throw new IllegalArgumentException("is empty (expected a path)");
        }
        try {
            return Path.of(v);
        } catch (java.nio.file.InvalidPathException e) {
            throw new IllegalArgumentException(quote(v) + " is not a path");
        }
    }

    /** Blank-separated words; an empty value is no words. */
    public static List<String> words(String v) {
        return v.isEmpty() ? List.of() : List.of(v.split("[ \\t]+"));
    }

    /**
     * Parses the value of {@code key} where no {@link KvFile} is at hand (a record built from a map of values):
     * a refusal becomes a {@link FieldException} naming the key, which {@link KvFile#build} places at its line.
     */
    public static <T> T field(String key, String value, KvFile.Parser<T> parser) {
        try {
            return parser.parse(value);
        } catch (FieldException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new FieldException(key, refusal(e, value));
        }
    }

    /**
     * Why a parser refused {@code value}: its message, or, when it gave none (UUID.fromString and the JDK's number
     * parsers may throw with an empty one), that the value is not valid.
     */
    static String refusal(IllegalArgumentException e, String value) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? quote(value) + " is not valid" : m;
    }

    /** A value for an error message: quoted, non-printable characters escaped, cut after 64 characters. */
    public static String quote(String v) {
        StringBuilder b = new StringBuilder("'");
        for (int i = 0; i < v.length(); i++) {
            if (i == 64) {
                return b.append("...'").toString();
            }
            char c = v.charAt(i);
            b.append(c >= 0x20 && c != 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c & 0xff));
        }
        return b.append('\'').toString();
    }
}
