package io.headnode.agent.install;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.AgentConfig;
import io.headnode.agent.MutableClock;
import io.headnode.agent.RecordingPowerService;
import io.headnode.agent.TestConfigs;
import io.headnode.agent.render.Templates;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.MachineList;
import io.headnode.power.PowerOutcome;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InstallManagerTest {
    static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
    static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");
    static final MacAddress STRANGER = MacAddress.parse("52:54:00:00:00:ff");
    static final String ADDR_A = "10.0.5.2";
    static final String ADDR_B = "10.0.5.3";

    @TempDir
    Path dir;
    AgentConfig config;
    MutableClock clock = new MutableClock();
    RecordingPowerService power = new RecordingPowerService();
    Templates templates = new Templates(null);
    PxeConfigs pxe;
    ShareSnapshot snapshot;

    @BeforeEach
    void setUp() throws Exception {
        config = TestConfigs.rootedIn(dir);
        pxe = new PxeConfigs(config.pxelinuxCfg());
        HeadnodeConfig hc = HeadnodeConfig.parse("headnode.conf",
                "vlan = 5\nprivate-address = 10.0.5.1/24\ninstall-attempts = 2\ninstall-deadline = 30\n".getBytes(StandardCharsets.UTF_8));
        MachineList ml = MachineList.parse("machines.txt", (A + " 10.1.0.10\n" + B + " 10.1.0.11\n").getBytes(StandardCharsets.UTF_8));
        snapshot = new ShareSnapshot(hc, ml);
    }

    InstallManager manager() {
        InstallManager m = new InstallManager(config, power, templates, pxe, new InstallStore(config.stateDir().resolve("installs.json")), clock, Runnable::run);
        m.update(snapshot, Map.of(A, ADDR_A, B, ADDR_B));
        return m;
    }

    static InstallRequest req(String id, MacAddress... macs) {
        return new InstallRequest(id, false, List.of(macs));
    }

    String tokenFrom(InstallManager m, MacAddress mac, String addr) {
        InstallManager.Answer ks = m.kickstart(mac, addr);
        assertThat(ks.status()).isEqualTo(200);
        Matcher t = Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(ks.body());
        assertThat(t.find()).isTrue();
        return t.group(1);
    }

    String state(InstallManager m, MacAddress mac) {
        return m.machines().stream().filter(s -> s.mac().equals(mac.value())).findFirst().orElseThrow().state();
    }

    @Test
    void requestWritesConfigThenPowerCyclesThroughPowerService() throws Exception {
        InstallManager m = manager();
        assertThat(m.request(req("r1", A))).isTrue();
        assertThat(power.calls()).containsExactly("bootdev-pxe-once " + A, "cycle " + A);
        assertThat(state(m, A)).isEqualTo("installing");
        assertThat(state(m, B)).isEqualTo("known");
        String cfg = Files.readString(pxe.fileFor(A));
        assertThat(cfg).startsWith(PxeConfigs.MARKER).contains("ks=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a", "kernel centos/vmlinuz");
        assertThat(pxe.exists(B)).isFalse();
    }

    @Test
    void eachRequestIdRunsOnceAlsoAcrossRestarts() {
        InstallManager m = manager();
        assertThat(m.request(req("r1", A))).isTrue();
        assertThat(m.request(req("r1", A))).isFalse();
        InstallManager restarted = manager();
        assertThat(restarted.ran("r1")).isTrue();
        assertThat(restarted.request(req("r1", A))).isFalse();
        assertThat(power.calls()).hasSize(2);
        assertThat(state(restarted, A)).isEqualTo("installing");
    }

    @Test
    void allTargetsEveryListedMachineAndUnknownMacsAreSkipped() {
        InstallManager m = manager();
        assertThat(m.request(new InstallRequest("all-1", true, List.of()))).isTrue();
        assertThat(pxe.exists(A)).isTrue();
        assertThat(pxe.exists(B)).isTrue();
        assertThat(m.request(req("r2", STRANGER))).isTrue();
        assertThat(pxe.exists(STRANGER)).isFalse();
    }

    @Test
    void callbackIsAcceptedOnceFromTheNodesAddressWithItsToken() {
        InstallManager m = manager();
        m.request(req("r1", A));
        String token = tokenFrom(m, A, ADDR_A);
        assertThat(m.callback(A, ADDR_B, token).status()).isEqualTo(403);
        assertThat(m.callback(A, ADDR_A, Tokens.newToken()).status()).isEqualTo(403);
        assertThat(m.callback(B, ADDR_A, token).status()).isEqualTo(403);
        assertThat(m.callback(STRANGER, ADDR_A, token).status()).isEqualTo(403);
        assertThat(pxe.exists(A)).isTrue();
        assertThat(state(m, A)).isEqualTo("installing");
        assertThat(m.callback(A, ADDR_A, token).status()).isEqualTo(200);
        assertThat(pxe.exists(A)).isFalse();
        assertThat(state(m, A)).isEqualTo("installed");
        assertThat(m.callback(A, ADDR_A, token).status()).isEqualTo(409);
        assertThat(m.kickstart(A, ADDR_A).status()).isEqualTo(404);
    }

    @Test
    void kickstartOnlyForTheNodesAddressAndCarriesTheCallback() {
        InstallManager m = manager();
        m.request(req("r1", A));
        assertThat(m.kickstart(A, ADDR_B).status()).isEqualTo(403);
        InstallManager.Answer ks = m.kickstart(A, ADDR_A);
        assertThat(ks.body()).contains("http://10.0.5.1:80/boot-default/01-52-54-00-00-00-0a", "%post", "VLAN 5", "clearpart --all");
    }

    @Test
    void aNewRequestGetsANewToken() {
        InstallManager m = manager();
        m.request(req("r1", A));
        String first = tokenFrom(m, A, ADDR_A);
        m.request(req("r2", A));
        String second = tokenFrom(m, A, ADDR_A);
        assertThat(second).isNotEqualTo(first);
        assertThat(m.callback(A, ADDR_A, first).status()).isEqualTo(403);
        assertThat(m.callback(A, ADDR_A, second).status()).isEqualTo(200);
    }

    @Test
    void deadlineEndsAnInstallWithoutCallback() {
        InstallManager m = manager();
        m.request(req("r1", A));
        clock.advance(Duration.ofMinutes(29));
        m.tick();
        assertThat(pxe.exists(A)).isTrue();
        clock.advance(Duration.ofMinutes(2));
        m.tick();
        assertThat(pxe.exists(A)).isFalse();
        assertThat(state(m, A)).isEqualTo("failed");
        assertThat(m.kickstart(A, ADDR_A).status()).isEqualTo(404);
    }

    @Test
    void attemptLimitEndsAnInstallThatKeepsRebooting() {
        InstallManager m = manager();
        m.request(req("r1", A));
        assertThat(m.kickstart(A, ADDR_A).status()).isEqualTo(200);
        assertThat(m.kickstart(A, ADDR_A).status()).isEqualTo(200);
        assertThat(m.kickstart(A, ADDR_A).status()).isEqualTo(410);
        assertThat(pxe.exists(A)).isFalse();
        assertThat(state(m, A)).isEqualTo("failed");
    }

    @Test
    void powerFailureKeepsTheInstallServedAndSaysSo() {
        power.cycleAnswer = PowerOutcome.Kind.UNREACHABLE;
        InstallManager m = manager();
        m.request(req("r1", A));
        assertThat(state(m, A)).isEqualTo("requested");
        assertThat(pxe.exists(A)).isTrue();
        assertThat(m.machines().get(0).detail()).contains("power cycle failed", "UNREACHABLE");
        m.tick();
        assertThat(power.calls()).hasSize(2);
    }

    @Test
    void pendingPowerCycleIsResumedAfterARestart() throws Exception {
        InstallStore store = new InstallStore(config.stateDir().resolve("installs.json"));
        InstallManager crashed = new InstallManager(config, power, templates, pxe, store, clock, r -> { });
        crashed.update(snapshot, Map.of(A, ADDR_A, B, ADDR_B));
        crashed.request(req("r1", A));
        assertThat(power.calls()).isEmpty();
        InstallManager m = manager();
        m.tick();
        assertThat(power.calls()).containsExactly("bootdev-pxe-once " + A, "cycle " + A);
        assertThat(state(m, A)).isEqualTo("installing");
    }

    @Test
    void leavingMachinesTxtEndsTheInstallAndOnlyAgentFilesAreRemoved() throws Exception {
        InstallManager m = manager();
        m.request(req("r1", A, B));
        Path operators = config.pxelinuxCfg().resolve("01-52-54-00-00-00-0c");
        Files.writeString(operators, "default local\n");
        MachineList onlyB = MachineList.parse("machines.txt", (B + " 10.1.0.11\n").getBytes(StandardCharsets.UTF_8));
        m.update(new ShareSnapshot(snapshot.config(), onlyB), Map.of(B, ADDR_B));
        assertThat(pxe.exists(A)).isFalse();
        assertThat(pxe.exists(B)).isTrue();
        assertThat(operators).exists();
        assertThat(m.nodes().get(A.value()).state()).isEqualTo(InstallState.FAILED);
    }

    @Test
    void stateWordsAreTheContractsMachineStates() {
        for (InstallState s : InstallState.values()) {
            assertThat(io.headnode.contract.AgentStatus.MACHINE_STATES).contains(s.word());
        }
        assertThat(InstallState.values()).hasSize(io.headnode.contract.AgentStatus.MACHINE_STATES.size());
    }

    @Test
    void stateFileHoldsTokensWithMode0600() throws Exception {
        InstallManager m = manager();
        m.request(req("r1", A));
        Path f = config.stateDir().resolve("installs.json");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(Files.readString(f)).contains("\"done-requests\"", "r1");
    }
}
