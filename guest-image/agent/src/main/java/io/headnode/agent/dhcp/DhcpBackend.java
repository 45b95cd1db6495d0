package io.headnode.agent.dhcp;

/**
 * A DHCP server that answers only listed MACs with their fixed addresses and a PXE boot file. ISC dhcpd today
 * ({@link IscDhcpBackend}); Kea can follow behind the same interface.
 */
public interface DhcpBackend {
    /** What an apply did. {@code error} is empty on success; on error the previous configuration stays in force. */
    record ApplyResult(boolean written, boolean restarted, String error) {
        public boolean ok() {
            return error.isEmpty();
        }
    }

    /** Renders the plan; if the content differs from what is in force, validates it, swaps it in atomically and restarts. */
    ApplyResult apply(DhcpPlan plan);

    /** Restarts the server if it died (with backoff). */
    void ensureRunning();

    /** "running", or "down: why". */
    String health();

    void stop();
}
