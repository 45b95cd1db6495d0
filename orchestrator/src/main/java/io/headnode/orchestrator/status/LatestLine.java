package io.headnode.orchestrator.status;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Splits the bytes of the status channel into lines, in whatever pieces they arrive, and keeps the latest line that
 * {@code accept} turns into a value (null: not one). A line is decoded as UTF-8 and stripped once its newline has
 * arrived, so a character split between two reads is whole; an unfinished last line is not a line; a line over
 * {@code maxLineBytes} is dropped whole and only its first {@code maxLineBytes} are ever held. Once a line satisfies
 * {@code enough}, {@link #feed} says so; the caller may stop there or go on feeding, and a later accepted line is
 * then the latest (lines arrive in the order they were written, so a later one is newer). Not thread-safe.
 */
final class LatestLine<T> {
    private final int maxLineBytes;
    private final Function<String, T> accept;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean overlong;
    private final Predicate<T> enough;
    private T last;
    private boolean done;

    LatestLine(int maxLineBytes, Function<String, T> accept) {
        this(maxLineBytes, accept, t -> false);
    }

    LatestLine(int maxLineBytes, Function<String, T> accept, Predicate<T> enough) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.accept = Objects.requireNonNull(accept, "accept is null");
        this.enough = Objects.requireNonNull(enough, "enough is null");
    }

    /** Takes the next {@code length} bytes of the channel; true once some line has been enough. */
    boolean feed(byte[] bytes, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, bytes.length);
        for (int i = offset; i < offset + length; i++) {
            byte b = bytes[i];
            if (b != '\n') {
                if (pending.size() < maxLineBytes) {
                    pending.write(b);
                } else {
                    overlong = true;
                }
                continue;
            }
            if (!overlong) {
                T t = accept.apply(pending.toString(StandardCharsets.UTF_8).strip());
                last = t == null ? last : t;
                done |= t != null && enough.test(t);
            }
            pending.reset();
            overlong = false;
        }
        return done;
    }

    /** The latest accepted line so far. */
    Optional<T> latest() {
        return Optional.ofNullable(last);
    }
}
