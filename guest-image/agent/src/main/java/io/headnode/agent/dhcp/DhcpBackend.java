package io.headnode.agent.dhcp;

import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.MacAddress;
import java.util.Map;
import java.util.Objects;

/**
 * A DHCP server that answers only listed MACs with their fixed addresses and a PXE boot file. ISC dhcpd today
 * ({@link IscDhcpBackend}); Kea can follow behind the same interface.
 */
public interface DhcpBackend {
    /** What an apply did. */
    sealed interface ApplyResult {
        /** The configuration in force already says this: nothing written, nothing restarted. */
        record Unchanged() implements ApplyResult {
        }

        /** The new configuration is in force ({@code hosts} reservations); the server was restarted if it runs under the agent. */
        record Replaced(int hosts, boolean restarted) implements ApplyResult {
        }

        /** Not applied (rejected by the server's own check, or not writable); the previous configuration stays in force. */
        record Refused(String reason) implements ApplyResult {
            public Refused {
                Objects.requireNonNull(reason, "reason is null");
            }
        }
    }

    /** Renders the plan; if the content differs from what is in force, validates it, swaps it in atomically and restarts. */
    ApplyResult apply(DhcpPlan plan);

    /** Restarts the server if it died (with backoff). */
    void ensureRunning();

    /** OK running, DOWN (why), or UNMANAGED when the agent runs no services. */
    Health health();

    void stop();

    /** The clients that asked for a boot architecture that is not served, with the architecture (DHCP option 93). */
    default Map<MacAddress, Integer> unservedArchitectures() {
        return Map.of();
    }
}
