package io.headnode.agent.http;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of the agent's HTTP server. The defaults bound its memory at the connection cap: 4,096 open connections,
 * idle or having sent a request with the largest head allowed, plus the requests in progress, fit the launcher's 48 MiB
 * heap (docs/agent.md, "HTTP"; the worst cases are measured by HttpFloodIT).
 *
 * @param maxConnections        open connections at most; one more is closed at once
 * @param maxPerAddress         open connections from one client address at most (one address cannot take the cap)
 * @param maxRequestLine        bytes of the request line (longer: 414)
 * @param maxHeaderBytes        bytes of all header lines together (more: 431)
 * @param maxHeaderLines        header lines (more: 431)
 * @param maxBody               bytes of a request body, chunked or not (more: 413)
 * @param maxRequestsInProgress requests partly received at once, over all connections (one more: 503); from one
 *                              address at most a sixteenth of it, so slow senders at one address cannot take all
 * @param requestTimeout        a whole request must arrive within this, counted from when the server is ready for it;
 *                              an answer none of whose bytes move for this long is cut (the client stopped reading).
 *                              No clock runs while the server itself holds a request (queued, or its route waiting)
 * @param handlerThreads        threads that run the route handler, off the I/O threads (a handler may block on disk)
 */
public record HttpLimits(int maxConnections, int maxPerAddress, int maxRequestLine, int maxHeaderBytes, int maxHeaderLines,
                         int maxBody, int maxRequestsInProgress, Duration requestTimeout, int handlerThreads) {
    public HttpLimits {
        Objects.requireNonNull(requestTimeout, "requestTimeout is null");
        positive(maxConnections, "maxConnections");
        positive(maxPerAddress, "maxPerAddress");
        positive(maxRequestLine, "maxRequestLine");
        positive(maxHeaderBytes, "maxHeaderBytes");
        positive(maxHeaderLines, "maxHeaderLines");
        positive(maxBody, "maxBody");
        positive(maxRequestsInProgress, "maxRequestsInProgress");
        positive(handlerThreads, "handlerThreads");
        if (maxPerAddress > maxConnections) {
            throw new IllegalArgumentException("maxPerAddress " + maxPerAddress + " exceeds maxConnections " + maxConnections);
        }
        if (requestTimeout.isNegative() || requestTimeout.isZero()) {
            throw new IllegalArgumentException("requestTimeout must be positive: " + requestTimeout);
        }
    }

    /**
     * The agent's limits: 4,096 connections, 128 per address; request line 2 KiB, headers 4 KiB in at most 64 lines
     * (PXE firmware, iPXE and installers send a few hundred bytes), body 4 KiB; 256 requests in progress (16 per address);
     * 4 handler threads (an install callback may wait on the disk for up to 10 s).
     */
    public static HttpLimits defaults(Duration requestTimeout) {
        return new HttpLimits(4096, 128, 2048, 4096, 64, 4096, 256, requestTimeout, 4);
    }

    /** Requests partly received at once from one address: a sixteenth of {@link #maxRequestsInProgress}, at least 1. */
    public int maxRequestsInProgressPerAddress() {
        return Math.max(1, maxRequestsInProgress / 16);
    }

    public HttpLimits withConnections(int total, int perAddress) {
        return new HttpLimits(total, perAddress, maxRequestLine, maxHeaderBytes, maxHeaderLines, maxBody, maxRequestsInProgress,
                requestTimeout, handlerThreads);
    }

    public HttpLimits withRequestsInProgress(int max) {
        return new HttpLimits(maxConnections, maxPerAddress, maxRequestLine, maxHeaderBytes, maxHeaderLines, maxBody, max,
                requestTimeout, handlerThreads);
    }

    private static void positive(int v, String name) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be positive: " + v);
        }
    }
}
