package io.headnode.agent;

import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.CommandSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Records argument arrays and standard inputs; answers from a function (default: success, empty output). The
 * answer may throw {@link io.headnode.common.exec.CommandException} to stand for a timeout or a missing program.
 */
public final class FakeRunner implements CommandRunner {
    public final List<List<String>> commands = new ArrayList<>();
    public final List<String> inputs = new ArrayList<>();
    public Function<List<String>, CommandResult> answer = argv -> new CommandResult(argv, 0, "", "");

    @Override
    public synchronized CommandResult run(CommandSpec spec) {
        commands.add(spec.argv());
        if (!spec.stdin().isEmpty()) {
            inputs.add(spec.stdin());
        }
        return answer.apply(spec.argv());
    }

    public synchronized List<String> joined() {
        List<String> out = new ArrayList<>();
        commands.forEach(c -> out.add(String.join(" ", c)));
        return out;
    }
}
