package io.headnode.orchestrator.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.common.exec.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AppArmorRuleTest {
    @TempDir
    Path tmp;
    AppArmorRule rule;
    HostConfig config;

    @BeforeEach
    void copyApparmor() throws Exception {
        TestHost.copyTree(Path.of("/etc/apparmor.d"), tmp.resolve("apparmor.d"));
        config = new HostConfig(tmp.resolve("state"), tmp.resolve("share root"), tmp.resolve("apparmor.d"),
                Path.of("/usr/sbin/apparmor_parser"), "test:///default", "br-vlan", "br0", List.of(), "libvirt-qemu", "qemu",
                tmp.resolve("i.qcow2"), 1024, 1);
        rule = new AppArmorRule(config, new ProcessCommandRunner(List.of()));
    }

    @Test
    void ruleComesFromTheApparmorModuleWithTheConfiguredRoot() throws Exception {
        assertThat(rule.ruleText()).isEqualTo("\"" + tmp.resolve("share root") + "/**\" r,\n");
    }

    @Test
    void writesTheLocalIncludeOnceAndValidates() throws Exception {
        assertThat(rule.target()).isEqualTo(rule.localInclude());
        assertThat(rule.ensure(false)).containsExactly("write the share rule into " + rule.localInclude());
        assertThat(rule.ensure(false)).isEmpty();
        String text = Files.readString(rule.localInclude());
        assertThat(text).containsOnlyOnce(AppArmorRule.BEGIN).containsOnlyOnce("/**\" r,");
        rule.validate();
    }

    @Test
    void keepsOtherLocalRulesAndReplacesAStaleBlock() throws Exception {
        Files.writeString(rule.localInclude(), "  /srv/other/** r,\n" + AppArmorRule.BEGIN + "\n/old/** r,\n" + AppArmorRule.END + "\n");
        rule.ensure(false);
        String text = Files.readString(rule.localInclude());
        assertThat(text).startsWith("  /srv/other/** r,\n").doesNotContain("/old/").containsOnlyOnce(AppArmorRule.BEGIN);
    }

    @Test
    void withoutALocalIncludeTheAbstractionGetsAMarkerBlock() throws Exception {
        Path abs = rule.abstraction();
        Files.writeString(abs, Files.readString(abs).replaceAll("(?m)^.*include.*local/abstractions/libvirt-qemu.*$", ""));
        assertThat(rule.target()).isEqualTo(abs);
        rule.ensure(false);
        rule.ensure(false);
        assertThat(Files.readString(abs)).containsOnlyOnce(AppArmorRule.BEGIN);
        rule.validate();
    }

    @Test
    void aRejectedChangeIsRolledBack() throws Exception {
        Files.writeString(rule.localInclude(), "this is not apparmor\n");
        assertThatThrownBy(() -> rule.ensure(false)).hasMessageContaining("apparmor_parser rejected");
        assertThat(Files.readString(rule.localInclude())).isEqualTo("this is not apparmor\n");
    }

    @Test
    void skippedWhereThereIsNoAbstraction() throws Exception {
        Files.delete(rule.abstraction());
        assertThat(rule.ensure(false)).containsExactly("skipped: no " + rule.abstraction());
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        assertThat(rule.ensure(true)).hasSize(1);
        assertThat(Files.readString(rule.localInclude())).isEmpty();
    }
}
