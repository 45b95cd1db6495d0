package io.headnode.agent.status;

import java.io.IOException;

/**
 * The agent's end of the status channel. The host is connected while a process holds the host end of the
 * virtio-serial port (QEMU's unix socket); a line written while it is not is lost or held back, so the publisher
 * writes only to a connected host, and writes its newest line again to every host that connects.
 */
interface StatusPort extends AutoCloseable {
    /** Whether a host holds the other end now (does not block). */
    boolean hostConnected() throws IOException;

    /**
     * Writes {@code bytes} whole. False if the host went away before all of it was written (the rest is dropped;
     * the next write first ends the cut line, so the host's reader drops it as one bad line).
     */
    boolean write(byte[] bytes) throws IOException, InterruptedException;

    @Override
    void close();
}
