package io.headnode.agent.install;

import io.headnode.contract.InstallKey;
import io.headnode.contract.MacAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time install tokens: 256 bits, URL-safe (43 characters); compared in constant time.
 *
 * <p>With the VLAN's {@link InstallKey} in the share a token is derived, not drawn: HMAC-SHA256 under the key of
 * {@code headnode-install-token-v1}, the purpose, the node's MAC and the install request's id (one per line), so
 * every head node of the VLAN computes the same token for the same install, also one that never saw the request run
 * (after a failover, issue 11). Request ids are unique (the host stamps them), so each install of a node has its own.
 * Without a key (a share written before the key existed) tokens are random, as before.
 */
public final class Tokens {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String ALGORITHM = "HmacSHA256";
    private static final String DOMAIN = "headnode-install-token-v1";

    /** What a token authorizes: the installer's callback, or an image install's first-boot report. */
    public enum Purpose {
        CALLBACK("callback"), REPORT("report");

        private final String word;

        Purpose(String word) {
            this.word = word;
        }
    }

    private Tokens() {
    }

    public static String newToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** The token of {@code purpose} for the install of {@code mac} by request {@code requestId}, under {@code key}. */
    public static String derive(InstallKey key, Purpose purpose, MacAddress mac, String requestId) {
        Objects.requireNonNull(key, "key is null");
        Objects.requireNonNull(purpose, "purpose is null");
        Objects.requireNonNull(mac, "mac is null");
        Objects.requireNonNull(requestId, "requestId is null");
        byte[] k = key.bytes();
        try {
            Mac hmac = Mac.getInstance(ALGORITHM);
            hmac.init(new SecretKeySpec(k, ALGORITHM));
            byte[] tag = hmac.doFinal(String.join("\n", DOMAIN, purpose.word, mac.value(), requestId).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("no " + ALGORITHM + " in this JVM", e);
        } finally {
            java.util.Arrays.fill(k, (byte) 0);
        }
    }

    public static boolean matches(String expected, String given) {
        if (expected == null || given == null) {
            return false;
        }
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.US_ASCII), given.getBytes(StandardCharsets.US_ASCII));
    }

    public static boolean wellFormed(String token) {
        return token != null && token.length() == 43 && token.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '-' || c == '_');
    }
}
