package io.headnode.agent.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TemplatesTest {
    @Test
    void anOperatorsFileUnderTheTemplatesDirWinsOverTheShippedOne(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("profiles/lab"));
        Files.writeString(dir.resolve("profiles/lab/kickstart.vm"), "lab ${mac}\n");
        Files.writeString(dir.resolve("pxelinux-default.vm"), "default local-override\n");
        Templates t = new Templates(dir);
        assertThat(t.render("profiles/lab/kickstart.vm", Map.of("mac", "m"))).isEqualTo("lab m\n");
        assertThat(t.render("pxelinux-default.vm", Map.of())).isEqualTo("default local-override\n");
        assertThat(t.exists("profiles/lab/kickstart.vm")).isTrue();
        assertThat(t.exists("profiles/centos/kickstart.vm")).isTrue();
        assertThat(t.exists("profiles/none/kickstart.vm")).isFalse();
        assertThat(t.render("profiles/centos/kickstart.vm", Map.of("mac", "m", "address", "a", "server", "s", "httpPort", 80, "vlan", 5,
                "token", "T", "callbackUrl", "http://s/cb", "profile", "centos"))).contains("token=T", "'http://s/cb'", "url --url=http://s:80/centos/os");
    }

    @Test
    void missingTemplatesDirMeansShippedTemplatesAndMissingVariablesFail(@TempDir Path dir) {
        Templates t = new Templates(dir.resolve("absent"));
        assertThat(t.render("pxelinux-default.vm", Map.of())).contains("localboot 0");
        assertThatThrownBy(() -> t.render("profiles/centos/kickstart.vm", Map.of("mac", "m"))).hasMessageContaining("address");
    }
}
