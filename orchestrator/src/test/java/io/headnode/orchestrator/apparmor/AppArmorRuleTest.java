package io.headnode.orchestrator.apparmor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.orchestrator.TestSpecs;
import io.headnode.orchestrator.TestHost;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.common.exec.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import io.headnode.orchestrator.reconcile.AppArmorStep;
import io.headnode.orchestrator.reconcile.Plan;
import io.headnode.orchestrator.reconcile.StepContext;
import io.headnode.orchestrator.reconcile.action.Action;
import java.util.ArrayList;
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

    /** The AppArmor step's plan, applied unless {@code dryRun}: what it did (or would do). */
    List<String> converge(boolean dryRun) throws Exception {
        Plan plan = new AppArmorStep(rule).plan(new StepContext(TestSpecs.spec(1)));
        List<String> out = new ArrayList<>(plan.skipped().map(s -> "skipped: " + s).stream().toList());
        for (Action a : plan.actions()) {
            if (!dryRun) {
                a.apply();
            }
            out.add(a.describe());
        }
        return out;
    }

    @Test
    void ruleComesFromTheApparmorModuleWithTheConfiguredRoot() throws Exception {
        assertThat(rule.ruleText()).isEqualTo("\"" + tmp.resolve("share root") + "/**\" r,\n"
                + tmp.resolve("headnode-images") + "/ r,\n" + tmp.resolve("headnode-images") + "/** r,\n");
    }

    @Test
    void writesTheLocalIncludeOnceAndValidates() throws Exception {
        assertThat(rule.target()).contains(rule.localInclude());
        assertThat(converge(false)).containsExactly("write the share rule into " + rule.localInclude());
        assertThat(converge(false)).isEmpty();
        String text = Files.readString(rule.localInclude());
        assertThat(text).containsOnlyOnce(AppArmorRule.BEGIN).containsOnlyOnce("/**\" r,");
        rule.validate();
    }

    @Test
    void keepsOtherLocalRulesAndReplacesAStaleBlock() throws Exception {
        Files.writeString(rule.localInclude(), "  /srv/other/** r,\n" + AppArmorRule.BEGIN + "\n/old/** r,\n" + AppArmorRule.END + "\n");
        converge(false);
        String text = Files.readString(rule.localInclude());
        assertThat(text).startsWith("  /srv/other/** r,\n").doesNotContain("/old/").containsOnlyOnce(AppArmorRule.BEGIN);
    }

    @Test
    void withoutALocalIncludeTheAbstractionGetsAMarkerBlock() throws Exception {
        Path abs = rule.abstraction();
        Files.writeString(abs, Files.readString(abs).replaceAll("(?m)^.*include.*local/abstractions/libvirt-qemu.*$", ""));
        assertThat(rule.target()).contains(abs);
        converge(false);
        converge(false);
        assertThat(Files.readString(abs)).containsOnlyOnce(AppArmorRule.BEGIN);
        rule.validate();
    }

    @Test
    void aRejectedChangeIsRolledBack() throws Exception {
        Files.writeString(rule.localInclude(), "this is not apparmor\n");
        assertThatThrownBy(() -> converge(false)).hasMessageContaining("apparmor_parser rejected");
        assertThat(Files.readString(rule.localInclude())).isEqualTo("this is not apparmor\n");
    }

    @Test
    void skippedWhereThereIsNoAbstraction() throws Exception {
        Files.delete(rule.abstraction());
        assertThat(converge(false)).containsExactly("skipped: no " + rule.abstraction());
    }

    @Test
    void dryRunWritesNothing() throws Exception {
        assertThat(converge(true)).hasSize(1);
        assertThat(Files.readString(rule.localInclude())).isEmpty();
    }
}
