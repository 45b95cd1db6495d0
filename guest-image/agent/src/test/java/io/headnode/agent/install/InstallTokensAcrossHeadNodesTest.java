package io.headnode.agent.install;

import static io.headnode.agent.install.InstallFixtures.A;
import static io.headnode.agent.install.InstallFixtures.ADDR_A;
import static io.headnode.agent.install.InstallFixtures.ADDR_B;
import static io.headnode.agent.install.InstallFixtures.B;
import static io.headnode.agent.install.InstallFixtures.req;
import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.ManualExecutor;
import io.headnode.agent.MutableClock;
import io.headnode.agent.RecordingPowerService;
import io.headnode.agent.install.InstallEndpoints.Answer;
import io.headnode.agent.render.Templates;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.InstallKey;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.ImageName;
import io.headnode.contract.MacAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, in-flight installs across a failover: two agents ("head nodes") of one VLAN read the same share, each
 * with its own, at first empty, state dir. With the share's install.key the second one, which never saw the first
 * one's tokens, accepts the callback of an installer that got its kickstart from the first; without a key it cannot.
 */
class InstallTokensAcrossHeadNodesTest {
    static final InstallKey KEY = InstallKey.generate(new SecureRandom());
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock();
    ManualExecutor disk = new ManualExecutor();

    /** One head node: its own state dir and tftpboot under {@code name}, an empty installs.json, the given share. */
    final class HeadNode {
        final Path state;
        final Installs installs;
        final RecordingPowerService power = new RecordingPowerService();

        HeadNode(String name, ShareSnapshot share) throws Exception {
            Path root = dir.resolve(name);
            state = root.resolve("state/installs.json");
            InstallTemplates t = new InstallTemplates(new Templates(null), 80);
            installs = new Installs(new InstallMachine(Tokens::newToken), new InstallStore(state),
                    new PxeSync(new PxeConfigs(root.resolve("tftpboot/pxelinux.cfg")), PxeConfigs.grub(root.resolve("tftpboot/grub")), t),
                    new PowerDispatch(power, Runnable::run), t, clock, disk);
            installs.load();
            installs.update(share, Map.of(A, ADDR_A, B, ADDR_B));
            disk.runAll();
        }

        /** Runs the request (as the agent does for every request file in the share it has not run). */
        void run(InstallRequest r) {
            installs.request(r);
            disk.runAll();
        }

        String kickstartToken(MacAddress mac, String address) {
            Answer ks = installs.kickstart(mac, address);
            disk.runAll();
            assertThat(ks.status()).as(ks.body()).isEqualTo(200);
            Matcher t = Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(ks.body());
            assertThat(t.find()).isTrue();
            return t.group(1);
        }

        Answer callback(MacAddress mac, String address, String token) {
            var answer = installs.callback(mac, address, token);
            disk.runAll();
            assertThat(answer).isDone();
            return answer.join();
        }

        MachineState state(MacAddress mac) {
            return installs.machines().stream().filter(s -> s.mac().equals(mac)).findFirst().orElseThrow().state();
        }
    }

    @Test
    void aHeadNodeWithAnEmptyStateDirAcceptsTheCallbackOfAnInstallTheFirstOneServed() throws Exception {
        ShareSnapshot share = InstallFixtures.snapshot(KEY, A, B);
        HeadNode first = new HeadNode("first", share);
        first.run(req("r1", A, B));
        String token = first.kickstartToken(A, ADDR_A);
        assertThat(token).isEqualTo(Tokens.derive(KEY, Tokens.Purpose.CALLBACK, A, "r1"));

        // the first head node dies with its disk; the second starts from the same share and an empty state dir
        HeadNode second = new HeadNode("second", share);
        assertThat(Files.exists(second.state)).isFalse();
        second.run(req("r1", A, B));
        assertThat(second.callback(A, ADDR_B, token).status()).as("still only from the node's own address").isEqualTo(403);
        assertThat(second.callback(A, ADDR_A, Tokens.derive(KEY, Tokens.Purpose.CALLBACK, B, "r1")).status())
                .as("another node's token").isEqualTo(403);
        assertThat(second.callback(A, ADDR_A, Tokens.derive(KEY, Tokens.Purpose.CALLBACK, A, "r0")).status())
                .as("another request's token").isEqualTo(403);
        assertThat(second.callback(A, ADDR_A, token)).isEqualTo(new Answer(200, "ok\n"));
        assertThat(second.state(A)).isEqualTo(MachineState.INSTALLED);
        assertThat(second.callback(A, ADDR_A, token).status()).as("accepted once").isEqualTo(409);
        // the second head node serves the same token to a node it power-cycled into the installer itself
        assertThat(second.kickstartToken(B, ADDR_B)).isEqualTo(first.kickstartToken(B, ADDR_B));
        assertThat(Files.readString(second.state)).contains("INSTALLED");
    }

    @Test
    void withoutAnInstallKeyTheTokensAreRandomAndASecondHeadNodeCannotCheckThem() throws Exception {
        ShareSnapshot share = InstallFixtures.snapshot(A, B);
        HeadNode first = new HeadNode("first", share);
        first.run(req("r1", A));
        String token = first.kickstartToken(A, ADDR_A);
        HeadNode second = new HeadNode("second", share);
        second.run(req("r1", A));
        assertThat(second.callback(A, ADDR_A, token).status()).isEqualTo(403);
        assertThat(first.callback(A, ADDR_A, token).status()).isEqualTo(200);
    }

    @Test
    void anImageInstallsFirstBootReportTokenIsDerivedToo() {
        InstallSite site = new InstallSite(InstallFixtures.snapshot(KEY, A, B), Map.of(A, ADDR_A, B, ADDR_B));
        InstallRequest r = new InstallRequest("r7", false, List.of(A), Optional.of(ImageName.parse("debian12")), Optional.empty());
        ImageDeploy image = new ImageDeploy("debian12", "0".repeat(64), 1 << 20, null);
        Instant now = Instant.parse("2026-12-02T00:00:00Z");
        NodeInstall one = new InstallMachine(Tokens::newToken).request(InstallBook.EMPTY, site, r, Optional.of(image), now).book().node(A.value());
        NodeInstall two = new InstallMachine(Tokens::newToken).request(InstallBook.EMPTY, site, r, Optional.of(image), now).book().node(A.value());
        assertThat(one.token()).isEqualTo(two.token()).isEqualTo(Tokens.derive(KEY, Tokens.Purpose.CALLBACK, A, "r7"));
        assertThat(one.reportToken()).isEqualTo(two.reportToken()).isEqualTo(Tokens.derive(KEY, Tokens.Purpose.REPORT, A, "r7"))
                .isNotEqualTo(one.token());
    }

    @Test
    void anInstallSavedBeforeTheKeyKeepsItsRandomTokenAndNewOnesAreDerived() throws Exception {
        // installs.json as agents before install.key wrote it: a random token in the record
        String old = "x".repeat(43);
        Path f = dir.resolve("old/state/installs.json");
        Files.createDirectories(f.getParent());
        Files.writeString(f, "{\n  \"done-requests\" : [ \"r1\" ],\n  \"nodes\" : {\n    \"52:54:00:00:00:0a\" : {\n"
                + "      \"mac\" : \"52:54:00:00:00:0a\", \"state\" : \"INSTALLING\", \"requestId\" : \"r1\", \"token\" : \"" + old + "\",\n"
                + "      \"requestedAt\" : \"" + clock.instant() + "\", \"changedAt\" : \"" + clock.instant() + "\", \"boots\" : 1,\n"
                + "      \"powerPending\" : false, \"detail\" : \"installer booted (attempt 1)\"\n    }\n  }\n}\n");
        HeadNode upgraded = new HeadNode("old", InstallFixtures.snapshot(KEY, A, B));
        assertThat(upgraded.callback(A, ADDR_A, Tokens.derive(KEY, Tokens.Purpose.CALLBACK, A, "r1")).status()).isEqualTo(403);
        assertThat(upgraded.callback(A, ADDR_A, old)).isEqualTo(new Answer(200, "ok\n"));
        upgraded.run(req("r2", B));
        assertThat(upgraded.kickstartToken(B, ADDR_B)).isEqualTo(Tokens.derive(KEY, Tokens.Purpose.CALLBACK, B, "r2"));
    }
}
