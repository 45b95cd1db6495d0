package io.headnode.contract;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * An OpenSSH public key as it appears in authorized_keys, known_hosts and ssh_host_*_key.pub: a type and the base64 of
 * the key blob. Checked, not trusted: the type is one of {@link #TYPES}, the base64 is canonical, and the blob is
 * that type's wire format (RFC 4253 / 5656 / 8709, OpenSSH's PROTOCOL.u2f) naming the same type, with nothing after
 * it; RSA keys have 2048 to 16384 bits. DSA keys and certificates are refused.
 */
public record SshPublicKey(String type, String base64) {
    /** The key types accepted, in the order OpenSSH prefers them. */
    public static final List<String> TYPES = List.of("ssh-ed25519", "sk-ssh-ed25519@openssh.com", "ecdsa-sha2-nistp256",
            "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "sk-ecdsa-sha2-nistp256@openssh.com", "ssh-rsa");
    /** Longest base64 accepted: a 16384-bit RSA key is about 2,800 characters. */
    public static final int MAX_BASE64 = 4096;
    static final int MIN_RSA_BITS = 2048;
    static final int MAX_RSA_BITS = 16384;

    public SshPublicKey {
        Objects.requireNonNull(type, "type is null");
        Objects.requireNonNull(base64, "base64 is null");
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("key type '" + AgentStatus.bounded(MacAddress.printable(type), 40) + "' is not supported (supported: "
                    + String.join(", ", TYPES) + ")");
        }
        if (base64.length() > MAX_BASE64) {
            throw new IllegalArgumentException("key of " + base64.length() + " characters is longer than " + MAX_BASE64);
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("key is not base64: " + e.getMessage());
        }
        if (!Base64.getEncoder().encodeToString(blob).equals(base64)) {
            throw new IllegalArgumentException("key is not canonical base64 (padding or trailing bits)");
        }
        checkBlob(type, blob);
    }

    /** {@code <type> <base64>} from the first two words of a line (a .pub file: a comment may follow). */
    public static SshPublicKey parseLine(String line) {
        String[] w = line.strip().split("[ \\t]+");
        if (w.length < 2) {
            throw new IllegalArgumentException("expected '<type> <base64> [comment]'");
        }
        return new SshPublicKey(w[0], w[1]);
    }

    /** The key blob. */
    public byte[] blob() {
        return Base64.getDecoder().decode(base64);
    }

    /** OpenSSH's default fingerprint, as {@code ssh-keygen -l} prints it: {@code SHA256:} and unpadded base64. */
    public String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob());
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("no SHA-256 in this JVM", e);
        }
    }

    @Override
    public String toString() {
        return type + " " + base64;
    }

    private static void checkBlob(String type, byte[] blob) {
        ByteBuffer in = ByteBuffer.wrap(blob);
        String named = new String(field(in), StandardCharsets.ISO_8859_1);
        if (!named.equals(type)) {
            throw new IllegalArgumentException("key data is of type '" + AgentStatus.bounded(MacAddress.printable(named), 40) + "', not " + type);
        }
        switch (type) {
            case "ssh-ed25519" -> exactLength(field(in), 32, "ed25519 key");
            case "sk-ssh-ed25519@openssh.com" -> {
                exactLength(field(in), 32, "ed25519 key");
                application(field(in));
            }
            case "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521" -> point(in, type.substring("ecdsa-sha2-".length()));
            case "sk-ecdsa-sha2-nistp256@openssh.com" -> {
                point(in, "nistp256");
                application(field(in));
            }
            case "ssh-rsa" -> {
                BigInteger e = new BigInteger(field(in));
                BigInteger n = new BigInteger(field(in));
                if (e.signum() <= 0 || !e.testBit(0) || n.signum() <= 0) {
                    throw new IllegalArgumentException("RSA key has a bad exponent or modulus");
                }
                if (n.bitLength() < MIN_RSA_BITS || n.bitLength() > MAX_RSA_BITS) {
                    throw new IllegalArgumentException("RSA key of " + n.bitLength() + " bits is outside " + MIN_RSA_BITS + ".." + MAX_RSA_BITS);
                }
            }
            default -> throw new IllegalStateException("unhandled type " + type);
        }
        if (in.hasRemaining()) {
            throw new IllegalArgumentException("key data has " + in.remaining() + " bytes after the key");
        }
    }

    /** An SSH {@code string}: a 4-byte length and that many bytes. */
    private static byte[] field(ByteBuffer in) {
        if (in.remaining() < 4) {
            throw new IllegalArgumentException("key data is truncated");
        }
        int length = in.getInt();
        if (length < 0 || length > in.remaining()) {
            throw new IllegalArgumentException("key data is truncated");
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }

    private static void point(ByteBuffer in, String curve) {
        byte[] named = field(in);
        if (!Arrays.equals(named, curve.getBytes(StandardCharsets.ISO_8859_1))) {
            throw new IllegalArgumentException("ECDSA key names a curve other than " + curve);
        }
        int coordinate = switch (curve) {
            case "nistp256" -> 32;
            case "nistp384" -> 48;
            default -> 66;
        };
        byte[] q = field(in);
        exactLength(q, 1 + 2 * coordinate, "ECDSA point");
        if (q[0] != 4) {
            throw new IllegalArgumentException("ECDSA point is not in uncompressed form");
        }
    }

    private static void application(byte[] app) {
        if (app.length == 0 || app.length > 256) {
            throw new IllegalArgumentException("security key application of " + app.length + " bytes");
        }
    }

    private static void exactLength(byte[] b, int length, String what) {
        if (b.length != length) {
            throw new IllegalArgumentException(what + " of " + b.length + " bytes, not " + length);
        }
    }
}
