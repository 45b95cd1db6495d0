package io.headnode.agent;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** Agent settings rooted in a temp directory, services not run (unit tests). */
public final class TestConfigs {
    private TestConfigs() {
    }

    public static AgentConfig rootedIn(Path dir, String... extra) {
        Map<String, String> m = new HashMap<>(Map.of(
                "share-mount", dir.resolve("share").toString(), "mount-share", "false", "state-dir", dir.resolve("state").toString(),
                "tftp-root", dir.resolve("tftpboot").toString(), "dhcp-dir", dir.resolve("dhcp").toString(),
                "run-dir", dir.resolve("run").toString(), "templates-dir", dir.resolve("templates").toString(),
                "status-port", dir.resolve("port").toString(), "run-services", "false"));
        m.put("dhcpd-leases", dir.resolve("state/dhcpd.leases").toString());
        m.put("dhcpd-pid-file", dir.resolve("run/dhcpd.pid").toString());
        m.put("ssh-host-key-dir", dir.resolve("ssh").toString());
        m.put("authorized-keys", dir.resolve("root/.ssh/authorized_keys").toString());
        for (int i = 0; i + 1 < extra.length; i += 2) {
            m.put(extra[i], extra[i + 1]);
        }
        return AgentConfig.fromMap(m);
    }
}
