package io.headnode.orchestrator.status;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * Splits the bytes of the status channel into lines, in whatever pieces they arrive, and keeps the latest line that
 * {@code accept} turns into a value (null: not one). A line is decoded as UTF-8 and stripped once its newline has
 * arrived, so a character split between two reads is whole; an unfinished last line is not a line; a line over
 * {@code maxLineBytes} is dropped whole and only its first {@code maxLineBytes} are ever held. Not thread-safe.
 */
final class LatestLine<T> {
    private final int maxLineBytes;
    private final Function<String, T> accept;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private boolean overlong;
    private T last;

    LatestLine(int maxLineBytes, Function<String, T> accept) {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be positive: " + maxLineBytes);
        }
        this.maxLineBytes = maxLineBytes;
        this.accept = Objects.requireNonNull(accept, "accept is null");
    }

    /** Takes the next {@code length} bytes of the channel. */
    void feed(byte[] bytes, int offset, int length) {
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
            }
            pending.reset();
            overlong = false;
        }
    }

    /** The latest accepted line so far. */
    Optional<T> latest() {
        return Optional.ofNullable(last);
    }
}
