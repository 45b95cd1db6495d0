package io.headnode.testing;

import io.headnode.common.kv.KvException;
import java.util.Optional;

/**
 * The promise every Headnode parser of outside input makes when it refuses input, checked by the fuzz tests: the
 * error is the documented {@link KvException} (or its contract subclass) and names the file it was given and a line
 * of that content (0 when the whole file is at fault), on one line (no control character but tab).
 */
public final class ParserErrors {
    /** A parser of a whole file's content, named {@code file} in its errors. */
    @FunctionalInterface
    public interface Parser<T> {
        T parse(String file, byte[] content) throws KvException;
    }

    private ParserErrors() {
    }

    /**
     * The parsed value, or empty when the parser refused the content with a {@link KvException} that passes
     * {@link #check}. Any other exception propagates: for a fuzz test, a finding.
     */
    public static <T> Optional<T> parse(String file, byte[] content, Parser<T> parser) {
        try {
            return Optional.of(parser.parse(file, content));
        } catch (KvException e) {
            check(e, file, content);
            return Optional.empty();
        }
    }

    /** Throws an {@link AssertionError} when {@code e} does not name {@code file} and a line of {@code content}. */
    public static void check(KvException e, String file, byte[] content) {
        String message = e.getMessage();
        if (!e.file().equals(file) || !message.startsWith(file + (e.line() > 0 ? ":" + e.line() : "") + ": ")) {
            throw new AssertionError("error does not name " + file + " (and its line): " + message, e);
        }
        if (e.line() < 0 || e.line() > lineCount(content)) {
            throw new AssertionError("line " + e.line() + " is outside the " + lineCount(content) + " lines of the input: " + message, e);
        }
        if (e.problem().isBlank()) {
            throw new AssertionError("error says no problem: " + message, e);
        }
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (c < 0x20 && c != '\t' || c == 0x7f) {
                throw new AssertionError("error is not one line (control character " + (int) c + " at " + i + "): " + message, e);
            }
        }
    }

    /** The number of lines of {@code content}; a last line without newline counts. */
    public static int lineCount(byte[] content) {
        int lines = 0;
        for (byte b : content) {
            if (b == '\n') {
                lines++;
            }
        }
        return content.length > 0 && content[content.length - 1] != '\n' ? lines + 1 : lines;
    }
}
