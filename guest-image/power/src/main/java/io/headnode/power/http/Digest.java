package io.headnode.power.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** HTTP digest authentication (RFC 7616, MD5 and SHA-256, qop=auth), as Intel AMT asks for it. */
public final class Digest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final Map<String, String> challenge;
    private int nonceCount;

    private Digest(Map<String, String> challenge) {
        this.challenge = challenge;
    }

    /** Parses a {@code WWW-Authenticate: Digest ...} header; empty when it is not a digest challenge. */
    public static Optional<Digest> parse(String header) {
        if (header == null || !header.regionMatches(true, 0, "Digest ", 0, 7)) {
            return Optional.empty();
        }
        Map<String, String> params = params(header.substring(7));
        if (!params.containsKey("nonce") || !params.containsKey("realm")) {
            return Optional.empty();
        }
        return Optional.of(new Digest(params));
    }

    /** Splits {@code a="x", b=y} into a map (keys lower-case). */
    public static Map<String, String> params(String s) {
        Map<String, String> out = new HashMap<>();
        int i = 0;
        while (i < s.length()) {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == ',')) {
                i++;
            }
            int eq = s.indexOf('=', i);
            if (eq < 0) {
                break;
            }
            String key = s.substring(i, eq).strip().toLowerCase(Locale.ROOT);
            i = eq + 1;
            String value;
            if (i < s.length() && s.charAt(i) == '"') {
                StringBuilder b = new StringBuilder();
                i++;
                while (i < s.length() && s.charAt(i) != '"') {
                    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
                        i++;
                    }
                    b.append(s.charAt(i++));
                }
                i++;
                value = b.toString();
            } else {
                int end = s.indexOf(',', i);
                end = end < 0 ? s.length() : end;
                value = s.substring(i, end).strip();
                i = end;
            }
            out.put(key, value);
        }
        return out;
    }

    public boolean stale() {
        return "true".equalsIgnoreCase(challenge.get("stale"));
    }

    /** The Authorization header for one request. */
    public synchronized String authorize(String method, String uri, String user, String password) {
        String algorithm = challenge.getOrDefault("algorithm", "MD5");
        String hashName = algorithm.toUpperCase(Locale.ROOT).startsWith("SHA-256") ? "SHA-256" : "MD5";
        String realm = challenge.get("realm");
        String nonce = challenge.get("nonce");
        String qop = challenge.get("qop");
        boolean auth = qop != null && java.util.Arrays.stream(qop.split(",")).anyMatch(q -> q.strip().equals("auth"));
        String ha1 = hash(hashName, user + ":" + realm + ":" + password);
        String ha2 = hash(hashName, method + ":" + uri);
        StringBuilder h = new StringBuilder("Digest username=\"").append(user).append("\", realm=\"").append(realm)
                .append("\", nonce=\"").append(nonce).append("\", uri=\"").append(uri).append('"');
        if (auth) {
            String nc = String.format(Locale.ROOT, "%08x", ++nonceCount);
            byte[] c = new byte[8];
            RANDOM.nextBytes(c);
            String cnonce = HexFormat.of().formatHex(c);
            String response = hash(hashName, ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":auth:" + ha2);
            h.append(", qop=auth, nc=").append(nc).append(", cnonce=\"").append(cnonce).append("\", response=\"").append(response).append('"');
        } else {
            h.append(", response=\"").append(hash(hashName, ha1 + ":" + nonce + ":" + ha2)).append('"');
        }
        if (challenge.containsKey("opaque")) {
            h.append(", opaque=\"").append(challenge.get("opaque")).append('"');
        }
        if (challenge.containsKey("algorithm")) {
            h.append(", algorithm=").append(algorithm);
        }
        return h.toString();
    }

    public static String hash(String algorithm, String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is missing from this JDK", e);
        }
    }
}
