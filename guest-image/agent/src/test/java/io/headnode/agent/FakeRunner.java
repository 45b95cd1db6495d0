package io.headnode.agent;

import io.headnode.agent.exec.CommandRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** Records argument arrays; answers from a function (default: success, empty output). */
public final class FakeRunner implements CommandRunner {
    public final List<List<String>> commands = new ArrayList<>();
    public final List<byte[]> inputs = new ArrayList<>();
    public Function<List<String>, Result> answer = argv -> new Result(0, "", "");

    @Override
    public synchronized Result run(List<String> argv, Duration timeout) {
        commands.add(List.copyOf(argv));
        return answer.apply(argv);
    }

    @Override
    public synchronized Result run(List<String> argv, byte[] stdin, Duration timeout) {
        inputs.add(stdin);
        return run(argv, timeout);
    }

    public synchronized List<String> joined() {
        List<String> out = new ArrayList<>();
        commands.forEach(c -> out.add(String.join(" ", c)));
        return out;
    }
}
