package io.headnode.orchestrator.lab;

import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.ProcessCommandRunner;
import java.time.Duration;
import java.util.List;

/** The lab's commands, run on the host by the orchestrator's {@link ProcessCommandRunner} (argument arrays, timeouts). */
final class Exec {
    private static final CommandRunner HOST = new ProcessCommandRunner(List.of());

    private Exec() {
    }

    static CommandResult run(Duration timeout, List<String> cmd) {
        return HOST.run(cmd, timeout);
    }

    static CommandResult run(List<String> cmd) {
        return HOST.run(cmd);
    }

    static CommandResult check(String... cmd) {
        return HOST.check(List.of(cmd));
    }
}
