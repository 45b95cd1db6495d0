package io.headnode.agent.dhcp;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.render.Templates;
import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.SupervisedDaemon;
import io.headnode.agent.status.ProcessHealth;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AtomicFiles;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * ISC dhcpd: dhcpd.conf rendered from dhcpd.conf.vm, checked with {@code dhcpd -t -cf} before it replaces the file
 * in force (atomically), dhcpd run in the foreground on the private interface only and restarted only when the
 * file changed.
 */
public final class IscDhcpBackend implements DhcpBackend {
    private static final Logger LOG = LoggerFactory.getLogger(IscDhcpBackend.class);
    private final AgentConfig config;
    private final CommandRunner runner;
    private final Templates templates;
    private final SupervisedDaemon dhcpd;
    private final UnservedArchitectures unserved;

    @Inject
    public IscDhcpBackend(AgentConfig config, CommandRunner runner, Templates templates, Clock clock) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
        this.dhcpd = new SupervisedDaemon("dhcpd", config.runDir().resolve("dhcpd.log"), clock);
        this.unserved = new UnservedArchitectures(dhcpd.log());
    }

    public Path confFile() {
        return config.dhcpDir().resolve("dhcpd.conf");
    }

    public String render(DhcpPlan plan) {
        return templates.render("dhcpd.conf.vm", Map.of(
                "server", plan.server(), "boot", plan.boot(), "hosts", plan.hosts(), "iface", plan.iface()));
    }

    @Override
    public ApplyResult apply(DhcpPlan plan) {
        byte[] content = render(plan).getBytes(StandardCharsets.UTF_8);
        Path conf = confFile();
        configureCommand(plan.iface());
        try {
            if (Arrays.equals(current(conf), content)) {
                return new ApplyResult.Unchanged();
            }
            Files.createDirectories(conf.getParent());
            Path candidate = conf.resolveSibling(".dhcpd.conf.candidate");
            Files.write(candidate, content);
            try {
                Optional<String> rejected = check(candidate);
                if (rejected.isPresent()) {
                    LOG.error("{}; keeping {} as it is", rejected.get(), conf);
                    return new ApplyResult.Refused(rejected.get());
                }
            } finally {
                Files.deleteIfExists(candidate);
            }
            AtomicFiles.write(conf, content, null);   // known to differ: compared above
            LOG.info("dhcpd.conf updated ({} hosts)", plan.hosts().size());
            boolean restarted = config.runServices() && dhcpd.restart();
            return new ApplyResult.Replaced(plan.hosts().size(), restarted);
        } catch (IOException e) {
            return new ApplyResult.Refused("cannot write " + conf + ": " + e);
        }
    }

    /** Why {@code dhcpd -t} does not accept {@code candidate}, if it does not. */
    private Optional<String> check(Path candidate) {
        try {
            CommandResult check = runner.run(List.of(config.dhcpd(), "-t", "-4", "-q", "-cf", candidate.toString()), Duration.ofSeconds(20));
            return check.ok() ? Optional.empty() : Optional.of("dhcpd -t rejected the rendered configuration (" + check.describe() + ")");
        } catch (CommandException e) {
            return Optional.of("cannot check the rendered configuration: " + e.getMessage());
        }
    }

    private void configureCommand(String iface) {
        Path leases = config.dhcpdLeases();
        try {
            if (!Files.exists(leases)) {
                Files.createDirectories(leases.getParent());
                Files.createFile(leases);
            }
        } catch (IOException e) {
            LOG.warn("cannot create {}: {}", leases, e.toString());
        }
        dhcpd.setCommand(List.of(config.dhcpd(), "-4", "-f", "-d", "-cf", confFile().toString(), "-lf", leases.toString(),
                "-pf", config.dhcpdPidFile().toString(), iface));
    }

    private static byte[] current(Path conf) throws IOException {
        try {
            return Files.readAllBytes(conf);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    @Override
    public void ensureRunning() {
        if (config.runServices() && Files.exists(confFile())) {
            dhcpd.ensureRunning();
        }
    }

    @Override
    public Health health() {
        return config.runServices() ? ProcessHealth.of(dhcpd) : Health.unmanaged();
    }

    @Override
    public Map<io.headnode.contract.MacAddress, Integer> unservedArchitectures() {
        return unserved.scan();
    }

    /** How often dhcpd was started by this agent (for tests and benchmarks: unchanged input restarts nothing). */
    public int starts() {
        return dhcpd.starts();
    }

    @Override
    public void stop() {
        dhcpd.stop();
    }
}
