package io.headnode.testing;

import java.util.ArrayDeque;
import java.util.Deque;

/** Last line of defence: whatever a test started and did not close is closed when the JVM exits. */
final class Cleanup {
    private static final Deque<AutoCloseable> OPEN = new ArrayDeque<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Cleanup::closeAll, "headnode-test-cleanup"));
    }

    private Cleanup() {
    }

    static synchronized void register(AutoCloseable c) {
        OPEN.push(c);
    }

    static synchronized void unregister(AutoCloseable c) {
        OPEN.remove(c);
    }

    private static void closeAll() {
        AutoCloseable c;
        while ((c = poll()) != null) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("cleanup of " + c + " failed: " + e);
            }
        }
    }

    private static synchronized AutoCloseable poll() {
        return OPEN.poll();
    }
}
