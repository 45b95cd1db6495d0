package io.headnode.agent.dhcp;

import io.headnode.contract.MacAddress;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The clients that asked for a boot architecture dhcpd.conf does not serve (DHCP option 93 other than 0, 7, 9, 16):
 * read from the {@code headnode: unserved-arch mac=... arch=N} lines dhcpd.conf makes dhcpd log on its output.
 * The log is read incrementally from where the last read stopped (at most {@link #MAX_READ} bytes a time; a file
 * that shrank is read from its start again). dhcpd's {@code binary-to-ascii} does not zero-pad ({@code 52:54:0:99:0:1}),
 * so the MAC is normalised. At most {@link #MAX_ENTRIES} MACs are kept (the newest).
 */
public final class UnservedArchitectures {
    static final int MAX_READ = 1 << 20;
    static final int MAX_ENTRIES = 64;
    private static final Logger LOG = LoggerFactory.getLogger(UnservedArchitectures.class);
    private static final Pattern LINE = Pattern.compile("headnode: unserved-arch mac=([0-9a-fA-F]{1,2}(?::[0-9a-fA-F]{1,2}){5}) arch=(\\d{1,5})");
    private final Path log;
    private long offset;
    private final Map<MacAddress, Integer> seen = new LinkedHashMap<>();

    public UnservedArchitectures(Path log) {
        this.log = Objects.requireNonNull(log, "log is null");
    }

    /** Reads what dhcpd logged since the last call; returns every MAC seen so far with the architecture it asked for. */
    public synchronized Map<MacAddress, Integer> scan() {
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long length = f.length();
            if (length < offset) {
                offset = 0;   // a new log (dhcpd restarted with a fresh file)
            }
            int n = (int) Math.min(length - offset, MAX_READ);
            byte[] buf = new byte[n];
            f.seek(offset);
            f.readFully(buf);
            int end = lastNewline(buf);
            offset += end;
            Matcher m = LINE.matcher(new String(buf, 0, end, StandardCharsets.UTF_8));
            while (m.find()) {
                MacAddress mac = MacAddress.parse(normalise(m.group(1)));
                int arch = Integer.parseInt(m.group(2));
                if (!Integer.valueOf(arch).equals(seen.remove(mac))) {
                    LOG.warn("{} asked for boot architecture {} ({}): not served, it got no boot file", mac, arch, name(arch));
                }
                seen.put(mac, arch);
                if (seen.size() > MAX_ENTRIES) {
                    seen.remove(seen.keySet().iterator().next());
                }
            }
        } catch (NoSuchFileException | java.io.FileNotFoundException e) {
            // dhcpd has not run yet
        } catch (IOException e) {
            LOG.warn("cannot read {}: {}", log, e.toString());
        }
        return Map.copyOf(seen);
    }

    private static int lastNewline(byte[] buf) {
        for (int i = buf.length - 1; i >= 0; i--) {
            if (buf[i] == '\n') {
                return i + 1;
            }
        }
        return buf.length == MAX_READ ? buf.length : 0;   // an over-long line is skipped, not waited for forever
    }

    private static String normalise(String mac) {
        StringBuilder b = new StringBuilder(17);
        for (String part : mac.split(":")) {
            if (b.length() > 0) {
                b.append(':');
            }
            b.append(part.length() == 1 ? "0" : "").append(part.toLowerCase(java.util.Locale.ROOT));
        }
        return b.toString();
    }

    /** The IANA name of a processor architecture type (RFC 4578 and its registry), for the status. */
    public static String name(int arch) {
        return switch (arch) {
            case 1 -> "NEC/PC98";
            case 2 -> "Itanium";
            case 6 -> "x86 UEFI (32-bit)";
            case 10 -> "ARM 32-bit UEFI";
            case 11 -> "ARM 64-bit UEFI";
            case 15 -> "x86 UEFI HTTP (32-bit)";
            case 18 -> "ARM 32-bit UEFI HTTP";
            case 19 -> "ARM 64-bit UEFI HTTP";
            case 25 -> "RISC-V 64-bit UEFI";
            default -> "architecture " + arch;
        };
    }
}
