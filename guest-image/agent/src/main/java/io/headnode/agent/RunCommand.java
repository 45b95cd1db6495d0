package io.headnode.agent;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.headnode.agent.power.PowerPlug;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** Runs the agent until SIGTERM. Exit 1 on a startup failure. */
@Command(name = "run", description = "Run the agent (what the systemd unit starts).")
final class RunCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);
    @Mixin
    ConfigOption config;

    /**
     * The systemd unit's own command lines, {@code run} and {@code run --config FILE} (or {@code --config=FILE}), read
     * without picocli; anything else is empty and goes to picocli. Why: picocli's classes are Java 5 class files, which
     * the JVM's class-data-sharing archive cannot hold, so they are read and verified at every start; under TCG that
     * took about 3 s of the head node's boot (docs/benchmarks/orchestrator.md).
     */
    static Optional<RunCommand> plain(String[] args) {
        if (args.length == 0 || !args[0].equals("run")) {
            return Optional.empty();
        }
        String file;
        if (args.length == 1) {
            file = ConfigOption.DEFAULT_FILE;
        } else if (args.length == 2 && args[1].startsWith(ConfigOption.NAME + "=")) {
            file = args[1].substring(ConfigOption.NAME.length() + 1);
        } else if (args.length == 3 && args[1].equals(ConfigOption.NAME)) {
            file = args[2];
        } else {
            return Optional.empty();
        }
        if (file.isEmpty() || file.startsWith("-")) {
            return Optional.empty();
        }
        RunCommand run = new RunCommand();
        run.config = new ConfigOption(Path.of(file));
        return Optional.of(run);
    }

    @Override
    public Integer call() {
        Agent agent;
        try {
            AgentConfig c = config.load();
            Injector injector = Guice.createInjector(Stage.PRODUCTION, new AgentModule(c), new DhcpModule(), PowerPlug.module(c));
            agent = injector.getInstance(Agent.class);
            agent.start();
        } catch (Exception e) {
            LOG.error("headnode-agent cannot start: {}", e.getMessage(), e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            LOG.info("stopping");
            agent.close();
            stopped.countDown();
        }, "agent-stop"));
        LOG.info("headnode-agent running");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }
}
