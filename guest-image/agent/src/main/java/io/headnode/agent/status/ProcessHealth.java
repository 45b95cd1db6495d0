package io.headnode.agent.status;

import io.headnode.common.exec.SupervisedDaemon;
import io.headnode.contract.AgentStatus.Health;

/** The typed health of a daemon the agent supervises: OK while it runs, DOWN (with the supervisor's reason) otherwise. */
public final class ProcessHealth {
    private ProcessHealth() {
    }

    public static Health of(SupervisedDaemon daemon) {
        SupervisedDaemon.Status s = daemon.status();
        return s.running() ? Health.ok("running") : Health.down(s.problem());
    }
}
