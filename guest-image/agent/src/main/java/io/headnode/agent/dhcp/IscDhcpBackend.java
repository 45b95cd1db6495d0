package io.headnode.agent.dhcp;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.exec.CommandRunner;
import io.headnode.agent.exec.SupervisedProcess;
import io.headnode.agent.render.Templates;
import io.headnode.agent.status.ProcessHealth;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AtomicFiles;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private final SupervisedProcess dhcpd;

    @Inject
    public IscDhcpBackend(AgentConfig config, CommandRunner runner, Templates templates) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
        this.dhcpd = new SupervisedProcess("dhcpd", config.runDir().resolve("dhcpd.log"));
    }

    public Path confFile() {
        return config.dhcpDir().resolve("dhcpd.conf");
    }

    public String render(DhcpPlan plan) {
        return templates.render("dhcpd.conf.vm", Map.of(
                "server", plan.server(), "bootFile", plan.bootFile(), "hosts", plan.hosts(), "iface", plan.iface()));
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
                CommandRunner.Result check = runner.run(List.of(config.dhcpd(), "-t", "-4", "-q", "-cf", candidate.toString()), Duration.ofSeconds(20));
                if (!check.ok()) {
                    String why = "dhcpd -t rejected the rendered configuration (" + check.describe() + ")";
                    LOG.error("{}; keeping {} as it is", why, conf);
                    return new ApplyResult.Refused(why);
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

    /** How often dhcpd was started by this agent (for tests and benchmarks: unchanged input restarts nothing). */
    public int starts() {
        return dhcpd.starts();
    }

    @Override
    public void stop() {
        dhcpd.stop();
    }
}
