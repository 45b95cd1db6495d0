package io.headnode.agent.http;

import io.headnode.agent.install.Tokens;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The form body of an install callback or a first-boot report: {@code token=<one-time token>}, optionally
 * {@code &result=ok|failed&reason=<text>} (the deploy ramdisk's result) and {@code &hostname=<name>} (the report).
 * Each key at most once, no other keys; the reason is cut to {@link #MAX_REASON} printable ASCII characters.
 */
record CallbackForm(String token, String failure) {
    static final int MAX_REASON = 200;
    private static final Set<String> KEYS = Set.of("token", "result", "reason", "hostname");

    /** The form, or null if the body is not one (the caller answers 400). */
    static CallbackForm parse(byte[] body) {
        String s = new String(body, StandardCharsets.US_ASCII).strip();
        Map<String, String> fields = new HashMap<>();
        for (String pair : s.split("&", -1)) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            String key = pair.substring(0, eq);
            String value;
            try {
                value = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            if (!KEYS.contains(key) || fields.put(key, value) != null) {
                return null;
            }
        }
        String token = fields.get("token");
        if (token == null || !Tokens.wellFormed(token)) {
            return null;
        }
        String result = fields.getOrDefault("result", "ok");
        return switch (result) {
            case "ok" -> new CallbackForm(token, null);
            case "failed" -> new CallbackForm(token, printable(fields.getOrDefault("reason", "no reason given")));
            default -> null;
        };
    }

    private static String printable(String reason) {
        StringBuilder b = new StringBuilder();
        reason.codePoints().limit(MAX_REASON).forEach(c -> b.append(c >= 0x20 && c < 0x7f ? (char) c : '?'));
        String r = b.toString().strip();
        return r.isEmpty() ? "no reason given" : r;
    }
}
