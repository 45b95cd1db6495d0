package io.headnode.contract;

import java.util.Arrays;

/** A password or token. Never printed: {@link #toString()} is a placeholder; {@link #reveal()} is for the wire only. */
public final class Secret {
    private final char[] value;

    public Secret(String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("secret is empty");
        }
        this.value = value.toCharArray();
    }

    public String reveal() {
        return new String(value);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Secret s && Arrays.equals(value, s.value);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "<secret>";
    }
}
