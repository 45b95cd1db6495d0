package io.headnode.storm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A TFTP read (RFC 1350, octet mode) from a node's own address that asks for a block size (RFC 2347 option
 * negotiation, RFC 2348 {@code blksize}) as PXE ROMs do: they ask for about 1,400 bytes (a block that fits one
 * Ethernet frame), so pxelinux.0 (~46 KB) is ~33 lock-step round trips instead of ~90. Apache Commons Net's
 * TFTPClient (3.11.1) sends no options, so it played a 512-byte client no PXE ROM is; this one is small and keeps to
 * the RFCs: a server that ignores the option answers with DATA block 1 and the transfer goes on at 512 bytes; an
 * OACK is acknowledged with ACK 0; a lost packet is resent after the timeout, up to {@link #MAX_TRIES} times;
 * duplicates are acknowledged again; packets from another port than the server's first answer are ignored.
 */
public final class TftpFetcher {
    /** The largest file kept in memory: a boot loader or a per-MAC config. */
    static final int MAX_BYTES = 4 << 20;
    /** The block size asked for: 1,468 fits a 1,500-byte MTU (IP 20 + UDP 8 + TFTP 4); PXE ROMs ask 1,408-1,456. */
    static final int BLKSIZE = 1408;
    static final int MAX_TRIES = 5;
    private static final int RRQ = 1;
    private static final int DATA = 3;
    private static final int ACK = 4;
    private static final int ERROR = 5;
    private static final int OACK = 6;
    private final Duration timeout;
    private final int blksize;

    public TftpFetcher(Duration timeout) {
        this(timeout, BLKSIZE);
    }

    /** {@code blksize} 512 sends no option (a plain RFC 1350 client). */
    public TftpFetcher(Duration timeout, int blksize) {
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
        if (blksize < 8 || blksize > 65464) {
            throw new IllegalArgumentException("blksize must be 8..65464 (RFC 2348): " + blksize);
        }
        this.blksize = blksize;
    }

    public byte[] fetch(InetAddress local, InetAddress server, String file) throws IOException {
        return fetch(local, new InetSocketAddress(server, 69), file);
    }

    public byte[] fetch(InetAddress local, InetSocketAddress server, String file) throws IOException {
        try (DatagramSocket socket = new DatagramSocket(new InetSocketAddress(local, 0))) {
            socket.setSoTimeout((int) timeout.toMillis());
            return read(socket, server, file);
        }
    }

    private byte[] read(DatagramSocket socket, InetSocketAddress server, String file) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[Math.max(blksize, 512) + 4];
        DatagramPacket in = new DatagramPacket(buf, buf.length);
        DatagramPacket last = request(file, server);
        SocketAddress peer = null;   // the server's transfer port, fixed by its first answer
        int size = 512;
        int expected = 1;
        int tries = 0;
        socket.send(last);
        while (true) {
            try {
                in.setLength(buf.length);
                socket.receive(in);
            } catch (SocketTimeoutException e) {
                if (++tries >= MAX_TRIES) {
                    throw new IOException(file + ": no answer after " + MAX_TRIES + " tries (block " + expected + ")");
                }
                socket.send(last);
                continue;
            }
            if (!in.getAddress().equals(server.getAddress()) || (peer != null && !peer.equals(in.getSocketAddress()))) {
                continue;   // not our transfer
            }
            ByteBuffer p = ByteBuffer.wrap(buf, 0, in.getLength());
            if (p.remaining() < 4) {
                continue;
            }
            int op = p.getShort() & 0xffff;
            if (op == ERROR) {
                int code = p.getShort() & 0xffff;
                throw new IOException(file + ": TFTP error " + code + ": " + cString(p));
            }
            if (peer == null) {
                peer = in.getSocketAddress();
                if (op == OACK) {
                    size = acceptedBlksize(p, file);
                    last = ack(0, peer);
                    tries = 0;
                    socket.send(last);
                    continue;
                }
            }
            if (op != DATA) {
                continue;
            }
            int block = p.getShort() & 0xffff;
            if (block == (expected & 0xffff)) {
                int n = p.remaining();
                if (n > size) {
                    throw new IOException(file + ": DATA block " + expected + " of " + n + " bytes, over the block size " + size);
                }
                if (out.size() + n > MAX_BYTES) {
                    throw new IOException(file + " is over " + MAX_BYTES + " bytes");
                }
                out.write(buf, p.position(), n);
                last = ack(block, peer);
                tries = 0;
                socket.send(last);
                if (n < size) {
                    return out.toByteArray();
                }
                expected++;
            } else if (block == ((expected - 1) & 0xffff)) {
                socket.send(last);   // our ACK was lost: the server resent the previous block
            }
        }
    }

    private DatagramPacket request(String file, InetSocketAddress server) {
        ByteBuffer b = ByteBuffer.allocate(4 + file.length() * 4 + 32);
        b.putShort((short) RRQ);
        cString(b, file);
        cString(b, "octet");
        if (blksize != 512) {
            cString(b, "blksize");
            cString(b, Integer.toString(blksize));
        }
        return new DatagramPacket(b.array(), b.position(), server);
    }

    /** The block size an OACK grants: at most what was asked (RFC 2348); no blksize in it means 512. */
    private int acceptedBlksize(ByteBuffer p, String file) throws IOException {
        int size = 512;
        while (p.hasRemaining()) {
            String name = cString(p);
            String value = cString(p);
            if (name.equalsIgnoreCase("blksize")) {
                try {
                    size = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw new IOException(file + ": OACK blksize '" + value + "' is not a number");
                }
                if (size < 8 || size > blksize) {
                    throw new IOException(file + ": OACK blksize " + size + " outside 8.." + blksize);
                }
            }
        }
        return size;
    }

    private static DatagramPacket ack(int block, SocketAddress to) {
        byte[] b = {0, ACK, (byte) (block >> 8), (byte) block};
        return new DatagramPacket(b, b.length, to);
    }

    private static void cString(ByteBuffer b, String s) {
        b.put(s.getBytes(StandardCharsets.US_ASCII)).put((byte) 0);
    }

    private static String cString(ByteBuffer p) {
        int start = p.position();
        while (p.hasRemaining() && p.get() != 0) {
            // up to and past the NUL
        }
        int end = p.position() - (p.position() > start && p.get(p.position() - 1) == 0 ? 1 : 0);
        return new String(p.array(), p.arrayOffset() + start, end - start, StandardCharsets.US_ASCII);
    }
}
