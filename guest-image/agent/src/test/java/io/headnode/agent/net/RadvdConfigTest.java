package io.headnode.agent.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.TestConfigs;
import io.headnode.agent.render.Templates;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RadvdConfigTest {
    @Test
    void routerLifetimeZeroOnThePrivateInterfaceAndRadvdAcceptsIt(@TempDir Path dir) throws Exception {
        AgentConfig c = TestConfigs.rootedIn(dir, "private-interface", "veth7");
        ServiceDaemons d = new ServiceDaemons(c, new Templates(null), Clock.systemUTC());
        d.configure("10.0.5.1");
        String conf = Files.readString(d.radvdConf());
        assertThat(conf).contains("interface veth7 {", "AdvSendAdvert on;", "AdvDefaultLifetime 0;").doesNotContain("prefix");
        CommandResult r = new ProcessCommandRunner().run(List.of("radvd", "--configtest", "--config", d.radvdConf().toString(),
                "--logmethod", "stderr"));
        assertThat(r.exitCode()).as(r.describe()).isZero();
        long mtime = Files.getLastModifiedTime(d.radvdConf()).toMillis();
        Files.setLastModifiedTime(d.radvdConf(), java.nio.file.attribute.FileTime.fromMillis(mtime - 5000));
        d.configure("10.0.5.1");
        assertThat(Files.getLastModifiedTime(d.radvdConf()).toMillis()).isEqualTo(mtime - 5000);
    }
}
