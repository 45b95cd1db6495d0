package io.headnode.agent.status;

import io.headnode.agent.exec.SupervisedProcess;
import io.headnode.contract.AgentStatus.Health;

/** The typed health of a daemon the agent supervises: OK while it runs, DOWN (with the supervisor's reason) otherwise. */
public final class ProcessHealth {
    private ProcessHealth() {
    }

    public static Health of(SupervisedProcess p) {
        return p.running() ? Health.ok("running") : Health.down(p.health());
    }
}
