package io.headnode.storm;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The few DHCP messages a PXE client sends and the answers it reads (RFC 2131/2132, PXE options of RFC 4578).
 * Hand-encoded: no maintained DHCP client library exists on Maven Central, and a PXE client's packets are fixed.
 */
public final class DhcpMessage {
    public static final int DISCOVER = 1;
    public static final int OFFER = 2;
    public static final int REQUEST = 3;
    public static final int ACK = 5;
    public static final int NAK = 6;
    private static final int COOKIE = 0x63825363;
    private static final int MIN_LENGTH = 300;
    private static final int HEADER = 236;

    private DhcpMessage() {
    }

    /** A client message as PXE firmware sends it: option 93 (client architecture) and the PXEClient vendor class. */
    public static ByteBuffer client(int type, int xid, byte[] mac, int arch, Inet4Address requested, Inet4Address server) {
        if (type != DISCOVER && type != REQUEST) {
            throw new IllegalArgumentException("DHCP message type " + type + " is not DISCOVER or REQUEST");
        }
        ByteBuffer b = ByteBuffer.allocate(548);
        b.put((byte) 1).put((byte) 1).put((byte) 6).put((byte) 0).putInt(xid).putShort((short) 0).putShort((short) 0);
        b.put(new byte[16]); // ciaddr, yiaddr, siaddr, giaddr
        b.put(mac).put(new byte[10]).put(new byte[64 + 128]);
        b.putInt(COOKIE);
        b.put((byte) 53).put((byte) 1).put((byte) type);
        b.put((byte) 57).put((byte) 2).putShort((short) 1260);
        b.put((byte) 93).put((byte) 2).putShort((short) arch);
        b.put((byte) 94).put((byte) 3).put((byte) 1).put((byte) 2).put((byte) 1);
        b.put((byte) 97).put((byte) 17).put((byte) 0).put(new byte[10]).put(mac);
        byte[] vendor = String.format("PXEClient:Arch:%05d:UNDI:002001", arch).getBytes(StandardCharsets.US_ASCII);
        b.put((byte) 60).put((byte) vendor.length).put(vendor);
        byte[] params = {1, 3, 6, 12, 15, 17, 43, 54, 60, 66, 67, (byte) 128, (byte) 129, (byte) 130, (byte) 131};
        b.put((byte) 55).put((byte) params.length).put(params);
        if (type == REQUEST) {
            b.put((byte) 50).put((byte) 4).put(requested.getAddress());
            b.put((byte) 54).put((byte) 4).put(server.getAddress());
        }
        b.put((byte) 255);
        while (b.position() < MIN_LENGTH) {
            b.put((byte) 0);
        }
        return b.flip();
    }

    /** A server's answer: message type, transaction, the client's MAC, offered address, next server, boot file. */
    public record Reply(int type, int xid, byte[] mac, Inet4Address yiaddr, Inet4Address siaddr, Inet4Address serverId, String file) {
    }

    /** Parses a BOOTREPLY; empty for anything else or anything malformed (a storm must not die of one bad packet). */
    public static Optional<Reply> parse(ByteBuffer b) {
        try {
            if (b.remaining() < HEADER + 4 || b.get(0) != 2 || b.get(1) != 1 || b.get(2) != 6) {
                return Optional.empty();
            }
            int xid = b.getInt(4);
            Inet4Address yiaddr = ipv4(b, 16);
            Inet4Address siaddr = ipv4(b, 20);
            byte[] mac = new byte[6];
            b.get(28, mac);
            byte[] fileBytes = new byte[128];
            b.get(108, fileBytes);
            String file = cString(fileBytes);
            if (b.getInt(HEADER) != COOKIE) {
                return Optional.empty();
            }
            int type = 0;
            Inet4Address serverId = null;
            int p = HEADER + 4;
            while (p < b.limit()) {
                int code = b.get(p) & 0xff;
                if (code == 255) {
                    break;
                }
                if (code == 0) {
                    p++;
                    continue;
                }
                int len = b.get(p + 1) & 0xff;
                if (p + 2 + len > b.limit()) {
                    return Optional.empty();
                }
                if (code == 53 && len == 1) {
                    type = b.get(p + 2);
                } else if (code == 54 && len == 4) {
                    serverId = ipv4(b, p + 2);
                } else if (code == 67 && file.isEmpty()) {
                    byte[] f = new byte[len];
                    b.get(p + 2, f);
                    file = cString(f);
                }
                p += 2 + len;
            }
            return type == 0 ? Optional.empty() : Optional.of(new Reply(type, xid, mac, yiaddr, siaddr, serverId, file));
        } catch (IndexOutOfBoundsException e) {
            return Optional.empty();
        }
    }

    private static Inet4Address ipv4(ByteBuffer b, int at) {
        byte[] a = new byte[4];
        b.get(at, a);
        try {
            return (Inet4Address) InetAddress.getByAddress(a);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String cString(byte[] bytes) {
        int n = 0;
        while (n < bytes.length && bytes[n] != 0) {
            n++;
        }
        return new String(bytes, 0, n, StandardCharsets.US_ASCII);
    }
}
