package io.headnode.contract;

import io.headnode.common.kv.KvLines;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * {@code install.key} in the share: the VLAN's secret for install tokens (issue 11). The host makes it once per VLAN
 * (32 random bytes; mode 0600, owned by QEMU's user, like credentials.conf; in cluster mode it is a share file in
 * ZooKeeper under the fleet's digest ACL), and every head node that serves the VLAN derives each install's one-time
 * tokens from it, so a head node that never saw a request's token can still check its callback after a failover.
 * Content: one line of {@value #HEX_DIGITS} hex digits, under the common line rules ({@link KvLines}: {@code #}
 * comments, blank lines). Errors name {@code install.key:<line>: install-key: <problem>}. Never printed:
 * {@link #toString()} is a placeholder.
 */
public final class InstallKey {
    public static final String FILE_NAME = "install.key";
    /** The field errors name. */
    public static final String FIELD = "install-key";
    /** The key's length in bytes. */
    public static final int BYTES = 32;
    public static final int HEX_DIGITS = 2 * BYTES;
    /** The size bound of the file: the key, a newline and a few comment lines. */
    public static final int MAX_BYTES = 4096;
    private static final int MAX_LINES = 2;
    private final byte[] key;

    private InstallKey(byte[] key) {
        if (key == null || key.length != BYTES) {
            throw new IllegalArgumentException("an install key is " + BYTES + " bytes");
        }
        this.key = key.clone();
    }

    /** The key made of these bytes (copied). */
    public static InstallKey of(byte[] key) {
        return new InstallKey(key);
    }

    /** A new random key. */
    public static InstallKey generate(SecureRandom random) {
        byte[] b = new byte[BYTES];
        random.nextBytes(b);
        InstallKey k = new InstallKey(b);
        Arrays.fill(b, (byte) 0);
        return k;
    }

    /** Parses install.key; {@code file} names it in errors. */
    public static InstallKey parse(String file, byte[] content) throws ShareFormatException {
        List<KvLines.Line> lines = ShareFormatException.lines(file, content, MAX_BYTES, MAX_LINES);
        if (lines.isEmpty()) {
            throw new ShareFormatException(file, 0, FIELD, "missing (expected one line of " + HEX_DIGITS + " hex digits)");
        }
        if (lines.size() > 1) {
            throw new ShareFormatException(file, lines.get(1).number(), FIELD, "more than one key line");
        }
        KvLines.Line line = lines.get(0);
        String text = line.text().strip();
        if (text.length() != HEX_DIGITS || !text.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw new ShareFormatException(file, line.number(), FIELD, "expected " + HEX_DIGITS + " hex digits (" + BYTES + " bytes), found "
                    + text.length() + " characters");
        }
        return new InstallKey(HexFormat.of().parseHex(text));
    }

    /** The file's content: the key in lower-case hex and a newline. */
    public byte[] render() {
        return (HexFormat.of().formatHex(key) + "\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** The key's bytes (a copy), for the MAC that derives tokens. */
    public byte[] bytes() {
        return key.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InstallKey k && MessageDigest.isEqual(key, k.key);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(key);
    }

    @Override
    public String toString() {
        return "InstallKey[<secret>]";
    }
}
