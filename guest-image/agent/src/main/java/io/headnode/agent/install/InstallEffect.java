package io.headnode.agent.install;

import io.headnode.contract.Machine;
import java.util.Objects;

/** What a transition of {@link InstallMachine} asks the world to do, besides keeping its new state. */
public sealed interface InstallEffect {
    /** Set PXE as the next boot device (best effort) and power-cycle the machine into the installer. */
    record PowerCycle(Machine machine, String requestId) implements InstallEffect {
        public PowerCycle {
            Objects.requireNonNull(machine, "machine is null");
            Objects.requireNonNull(requestId, "requestId is null");
        }
    }

    /** A line for the log, about one node ({@code mac}) or about the installs as a whole ({@code mac} null). */
    record Notice(Level level, String mac, String message) implements InstallEffect {
        public Notice {
            Objects.requireNonNull(level, "level is null");
            Objects.requireNonNull(message, "message is null");
        }
    }

    enum Level { INFO, WARN, ERROR }
}
