package io.headnode.agent.apply;

import io.headnode.agent.net.ServiceDaemons;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** in.tftpd on the private address and radvd on the private interface: reconfigured and restarted only on a change, kept running. */
public final class DaemonsStep implements ApplyStep {
    private final ServiceDaemons daemons;

    public DaemonsStep(ServiceDaemons daemons) {
        this.daemons = Objects.requireNonNull(daemons, "daemons is null");
    }

    @Override
    public String name() {
        return "tftpd/radvd";
    }

    @Override
    public boolean gates() {
        return false;
    }

    @Override
    public StepResult apply(ShareSnapshot share) {
        try {
            return StepResult.of(daemons.configure(share.config().privateAddress().ip()));
        } catch (IOException e) {
            return new StepResult.Failed("cannot configure tftpd/radvd: " + e.getMessage());
        }
    }

    @Override
    public void maintain() {
        daemons.ensureRunning();
    }

    @Override
    public Map<String, Health> health() {
        Map<String, Health> h = new LinkedHashMap<>();
        h.put("tftpd", daemons.tftpHealth());
        h.put("radvd", daemons.radvdHealth());
        return h;
    }

    @Override
    public void close() {
        daemons.stop();
    }
}
