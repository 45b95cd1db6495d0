package io.headnode.agent;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Stage;
import io.headnode.agent.power.PowerPlug;
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
