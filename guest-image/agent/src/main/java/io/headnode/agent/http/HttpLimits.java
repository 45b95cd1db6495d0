package io.headnode.agent.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of the agent's HTTP server. The defaults bound its memory at the connection cap: 4,096 open
 * connections fit the launcher's 48 MiB heap (docs/agent.md, "HTTP").
 *
 * @param maxConnections  open connections at most; one more is closed at once
 * @param maxPerAddress   open connections from one client address at most (one address cannot take the whole cap)
 * @param maxRequestLine  bytes of the request line (longer: 414)
 * @param maxHeaderBytes  bytes of all header lines together (more: 431)
 * @param maxBody         bytes of a request body, chunked or not (more: 413)
 * @param requestTimeout  a whole request must arrive within this, counted from when the server is ready for it; a
 *                        connection that neither reads nor makes write progress for this long is closed as well
 * @param handlerThreads  threads that run the route handler, off the I/O threads (a handler may block on disk)
 */
public record HttpLimits(int maxConnections, int maxPerAddress, int maxRequestLine, int maxHeaderBytes, int maxBody,
                         Duration requestTimeout, int handlerThreads) {
    public static final int MAX_CONNECTIONS = 4096;
    public static final int MAX_PER_ADDRESS = 128;

    public HttpLimits {
        Objects.requireNonNull(requestTimeout, "requestTimeout is null");
        positive(maxConnections, "maxConnections");
        positive(maxPerAddress, "maxPerAddress");
        positive(maxRequestLine, "maxRequestLine");
        positive(maxHeaderBytes, "maxHeaderBytes");
        positive(maxBody, "maxBody");
        positive(handlerThreads, "handlerThreads");
        if (maxPerAddress > maxConnections) {
            throw new IllegalArgumentException("maxPerAddress " + maxPerAddress + " exceeds maxConnections " + maxConnections);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
        }
    }

    /** The agent's limits: 4,096 connections, 128 per address, request line 2 KiB, headers 8 KiB, body 4 KiB. */
    public static HttpLimits defaults(Duration requestTimeout) {
        return new HttpLimits(MAX_CONNECTIONS, MAX_PER_ADDRESS, 2048, 8192, 4096, requestTimeout, 4);
    }

    public HttpLimits withConnections(int total, int perAddress) {
        return new HttpLimits(total, perAddress, maxRequestLine, maxHeaderBytes, maxBody, requestTimeout, handlerThreads);
    }

    private static void positive(int v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + v);
        }
    }
}
