package io.headnode.storm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.Objects;
import org.apache.commons.net.tftp.TFTP;
import org.apache.commons.net.tftp.TFTPClient;

/** A TFTP read from a node's own address, with Apache Commons Net's {@link TFTPClient} (512-byte blocks, octet mode). */
public final class TftpFetcher {
    /** The largest file kept in memory: a boot loader or a per-MAC config. */
    static final int MAX_BYTES = 4 << 20;
    private final Duration timeout;

    public TftpFetcher(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
    }

    public byte[] fetch(InetAddress local, InetAddress server, String file) throws IOException {
        TFTPClient client = new TFTPClient();
        client.setDefaultTimeout(timeout);
        client.setMaxTimeouts(5);
        client.open(0, local);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream() {
                @Override
                public synchronized void write(byte[] b, int off, int len) {
                    if (count + len > MAX_BYTES) {
                        throw new IllegalStateException(file + " is over " + MAX_BYTES + " bytes");
                    }
                    super.write(b, off, len);
                }
            };
            client.receiveFile(file, TFTP.BINARY_MODE, out, server);
            return out.toByteArray();
        } finally {
            client.close();
        }
    }
}
