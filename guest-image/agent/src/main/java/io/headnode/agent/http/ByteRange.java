package io.headnode.agent.http;

/**
 * A single byte range from a Range header ({@code bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}).
 * Multiple ranges or other units are ignored (the whole file is sent, which RFC 9110 allows).
 */
public record ByteRange(long start, long end) {
    /** Marker for a syntactically valid range that lies outside the file (416). */
    public static final ByteRange UNSATISFIABLE = new ByteRange(-1, -1);

    /** The range to send, null for "send the whole file", or {@link #UNSATISFIABLE}. */
    public static ByteRange parse(String header, long size) {
        if (header == null) {
            return null;
        }
        String h = header.strip();
        if (!h.startsWith("bytes=") || h.indexOf(',') >= 0) {
            return null;
        }
        String spec = h.substring(6).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        String a = spec.substring(0, dash).strip();
        String b = spec.substring(dash + 1).strip();
        try {
            if (a.isEmpty()) {
                if (b.isEmpty() || !digits(b)) {
                    return null;
                }
                long n = Long.parseLong(b);
                if (n == 0 || size == 0) {
                    return UNSATISFIABLE;
                }
                return new ByteRange(Math.max(0, size - n), size - 1);
            }
            if (!digits(a) || (!b.isEmpty() && !digits(b))) {
                return null;
            }
            long start = Long.parseLong(a);
            long end = b.isEmpty() ? size - 1 : Math.min(Long.parseLong(b), size - 1);
            if (!b.isEmpty() && Long.parseLong(b) < start) {
                return null;
            }
            if (start >= size) {
                return UNSATISFIABLE;
            }
            return new ByteRange(start, end);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static boolean digits(String s) {
        return s.length() <= 18 && s.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    public long length() {
        return end - start + 1;
    }
}
