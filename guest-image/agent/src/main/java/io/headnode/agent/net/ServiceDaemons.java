package io.headnode.agent.net;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.render.Templates;
import io.headnode.common.exec.SupervisedDaemon;
import io.headnode.agent.status.ProcessHealth;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AtomicFiles;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * tftpd-hpa bound to the private address (so it answers on the private interface only) and radvd sending router
 * advertisements with router lifetime 0 on the private interface (iPXE stops waiting ~15 s for one; nobody
 * takes the head node as a default router). Both run in the foreground under the agent.
 */
public final class ServiceDaemons {
    private final AgentConfig config;
    private final Templates templates;
    private final SupervisedDaemon tftpd;
    private final SupervisedDaemon radvd;
    private String tftpAddress;

    @Inject
    public ServiceDaemons(AgentConfig config, Templates templates, Clock clock) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.templates = Objects.requireNonNull(templates, "templates is null");
        this.tftpd = new SupervisedDaemon("tftpd", config.runDir().resolve("tftpd.log"), clock);
        this.radvd = new SupervisedDaemon("radvd", config.runDir().resolve("radvd.log"), clock);
    }

    public Path radvdConf() {
        return config.runDir().resolve("radvd.conf");
    }

    /** (Re)configures both for the private address; restarts only what changed. Returns the changes made. */
    public List<String> configure(String privateIp) throws IOException {
        List<String> changes = new ArrayList<>();
        if (!privateIp.equals(tftpAddress)) {
            tftpd.setCommand(List.of(config.tftpd(), "-L", "-a", privateIp + ":69", "-s", config.tftpRoot().toString()));
            if (tftpAddress != null && config.runServices()) {
                tftpd.restart();
            }
            tftpAddress = privateIp;
            changes.add("tftpd on " + privateIp + ":69");
        }
        byte[] conf = templates.render("radvd.conf.vm", Map.of("iface", config.privateInterface())).getBytes(StandardCharsets.UTF_8);
        boolean changed = AtomicFiles.writeIfChanged(radvdConf(), conf);
        radvd.setCommand(List.of(config.radvd(), "--nodaemon", "--logmethod", "stderr", "--config", radvdConf().toString(),
                "--pidfile", config.runDir().resolve("radvd.pid").toString()));
        if (changed) {
            changes.add("radvd.conf written");
            if (config.runServices() && radvd.running()) {
                radvd.restart();
            }
        }
        return changes;
    }

    public void ensureRunning() {
        if (config.runServices() && tftpAddress != null) {
            tftpd.ensureRunning();
            radvd.ensureRunning();
        }
    }

    public Health tftpHealth() {
        return health(tftpd);
    }

    public Health radvdHealth() {
        return health(radvd);
    }

    private Health health(SupervisedDaemon p) {
        if (!config.runServices()) {
            return Health.unmanaged();
        }
        return tftpAddress == null ? Health.pending("not configured yet") : ProcessHealth.of(p);
    }

    public void stop() {
        tftpd.stop();
        radvd.stop();
    }
}
