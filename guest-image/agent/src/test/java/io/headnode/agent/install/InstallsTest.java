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
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.contract.AgentStatus.HealthState;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.MacAddress;
import io.headnode.power.PowerOutcome;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The installs coordinator: state changes in memory on the caller's thread, disk work (installs.json, pxelinux.cfg)
 * only on the disk executor, which the test runs by hand; power cycles only once the state that asked for them is
 * on disk. A hand-moved clock.
 */
class InstallsTest {
    @TempDir
    Path dir;
    MutableClock clock = new MutableClock();
    RecordingPowerService power = new RecordingPowerService();
    ManualExecutor disk = new ManualExecutor();
    PxeConfigs pxe;
    PxeConfigs grub;
    Path stateFile;

    @BeforeEach
    void setUp() {
        pxe = new PxeConfigs(dir.resolve("tftpboot/pxelinux.cfg"));
        grub = PxeConfigs.grub(dir.resolve("tftpboot/grub"));
        stateFile = dir.resolve("state/installs.json");
    }

    /** Loaded, no share yet. */
    Installs loaded(Executor powerExecutor) throws Exception {
        InstallTemplates t = new InstallTemplates(new Templates(null), 80);
        Installs i = new Installs(new InstallMachine(Tokens::newToken), new InstallStore(stateFile), new PxeSync(pxe, grub, t),
                new PowerDispatch(power, powerExecutor), t, clock, disk);
        i.load();
        return i;
    }

    /** Loaded, with the fixtures' share (A and B). */
    Installs installs(Executor powerExecutor) throws Exception {
        Installs i = loaded(powerExecutor);
        i.update(InstallFixtures.snapshot(A, B), Map.of(A, ADDR_A, B, ADDR_B));
        disk.runAll();
        return i;
    }

    Installs installs() throws Exception {
        return installs(Runnable::run);
    }

    static String token(Answer ks) {
        assertThat(ks.status()).as(ks.body()).isEqualTo(200);
        Matcher t = Pattern.compile("token=([A-Za-z0-9_-]{43})").matcher(ks.body());
        assertThat(t.find()).isTrue();
        return t.group(1);
    }

    static MachineState state(Installs i, MacAddress mac) {
        return i.machines().stream().filter(s -> s.mac().equals(mac)).findFirst().orElseThrow().state();
    }

    /** Requests an install of A and fetches its kickstart (all on disk); returns the install's token. */
    String installing(Installs i) {
        i.request(req("r1", A));
        disk.runAll();
        String token = token(i.kickstart(A, ADDR_A));
        disk.runAll();
        return token;
    }

    String saved() throws Exception {
        return Files.exists(stateFile) ? Files.readString(stateFile) : "";
    }

    @Test
    void aRequestIsOnDiskBeforeThePowerCycleAndTheSpoolIsToldOnlyThen() throws Exception {
        Installs i = installs();
        CompletableFuture<Boolean> ran = i.request(req("r1", A));
        assertThat(i.ran("r1")).isTrue();
        assertThat(ran).isNotDone();
        assertThat(power.calls()).isEmpty();
        assertThat(saved()).doesNotContain("r1");
        assertThat(pxe.exists(A)).isFalse();
        disk.runAll();
        assertThat(ran).isCompletedWithValue(true);
        assertThat(saved()).contains("r1");
        assertThat(pxe.exists(A)).isTrue();
        assertThat(power.calls()).containsExactly("bootdev-pxe-once " + A, "cycle " + A);
        disk.runAll();
        assertThat(state(i, A)).isEqualTo(MachineState.INSTALLING);
        assertThat(state(i, B)).isEqualTo(MachineState.KNOWN);
        assertThat(saved()).contains("power-cycled");
    }

    @Test
    void theCallbackIsAnsweredOnlyOnceItIsOnDiskAndTheConfigIsGone() throws Exception {
        Installs i = installs();
        String token = installing(i);
        String before = saved();

        CompletableFuture<Answer> answer = i.callback(A, ADDR_A, token);
        assertThat(answer).isNotDone();
        assertThat(saved()).isEqualTo(before);   // nothing written on the caller's thread
        assertThat(pxe.exists(A)).isTrue();
        assertThat(grub.fileFor(A)).hasFileName("grub.cfg-01-52-54-00-00-00-0a").exists();
        assertThat(state(i, A)).isEqualTo(MachineState.INSTALLED);
        disk.runAll();
        assertThat(answer).isCompletedWithValue(new Answer(200, "ok\n"));
        assertThat(saved()).contains("INSTALLED");
        assertThat(pxe.exists(A)).isFalse();
        assertThat(grub.exists(A)).as("the GRUB form is removed with the pxelinux one").isFalse();

        assertThat(i.callback(A, ADDR_A, token)).isCompletedWithValue(new Answer(409, "no install in progress\n"));
        assertThat(i.callback(B, ADDR_A, token)).isCompletedWithValue(new Answer(403, "forbidden\n"));
        assertThat(i.kickstart(A, ADDR_A).status()).isEqualTo(404);
        assertThat(disk.pending()).isZero();
    }

    @Test
    void kickstartAnswersAtOnceAndItsAttemptCountIsSavedInTheBackground() throws Exception {
        Installs i = installs();
        i.request(req("r1", A));
        disk.runAll();
        assertThat(i.kickstart(A, ADDR_B)).isEqualTo(new Answer(403, "forbidden\n"));
        Answer ks = i.kickstart(A, ADDR_A);
        assertThat(ks.body()).contains("http://10.0.5.1:80/boot-default/01-52-54-00-00-00-0a", "%post", "VLAN 5", "clearpart --all");
        assertThat(saved()).doesNotContain("attempt 1");
        disk.runAll();
        assertThat(saved()).contains("installer booted (attempt 1)");
        assertThat(i.kickstart(A, ADDR_A).status()).isEqualTo(200);
        assertThat(i.kickstart(A, ADDR_A)).isEqualTo(new Answer(410, "install attempts used up\n"));
        assertThat(pxe.exists(A)).isTrue();
        disk.runAll();
        assertThat(pxe.exists(A)).isFalse();
        assertThat(state(i, A)).isEqualTo(MachineState.FAILED);
    }

    @Test
    void eachRequestIdRunsOnceAlsoAcrossRestarts() throws Exception {
        Installs first = installs();
        first.request(req("r1", A));
        disk.runAll();
        Installs restarted = installs();
        assertThat(restarted.ran("r1")).isTrue();
        assertThat(restarted.request(req("r1", A))).isCompletedWithValue(false);
        disk.runAll();
        assertThat(power.calls()).hasSize(2);
        assertThat(state(restarted, A)).isEqualTo(MachineState.INSTALLING);
    }

    @Test
    void aPowerCycleInterruptedByARestartIsResumedByTheTick() throws Exception {
        Installs crashed = installs(r -> { });
        crashed.request(req("r1", A));
        disk.runAll();
        assertThat(power.calls()).isEmpty();
        Installs i = installs();
        i.tick();
        disk.runAll();
        assertThat(power.calls()).containsExactly("bootdev-pxe-once " + A, "cycle " + A);
        assertThat(state(i, A)).isEqualTo(MachineState.INSTALLING);
        i.tick();
        disk.runAll();
        assertThat(power.calls()).hasSize(2);
    }

    @Test
    void aFailedPowerCycleLeavesTheInstallServedAndSaysWhy() throws Exception {
        power.cycleAnswer = PowerOutcome.Kind.UNREACHABLE;
        Installs i = installs();
        i.request(req("r1", A));
        disk.runAll();
        MachineStatus a = i.machines().get(0);
        assertThat(a.state()).isEqualTo(MachineState.REQUESTED);
        assertThat(a.detail()).contains("power cycle failed", "UNREACHABLE");
        assertThat(a.address()).isEqualTo(ADDR_A);
        assertThat(pxe.exists(A)).isTrue();
    }

    /**
     * A tick while a cycle is in flight asks for the pending cycle again, and that ask waits for the disk. If the first
     * cycle ends (refused) before the disk catches up, the late ask must not cycle the node a second time (seen as a
     * flaky AgentTest under load: a second cycle with unchanged credentials, what a BMC lock-out rule forbids).
     */
    @Test
    void aTickDuringAPowerCycleDoesNotCycleAgainOnceTheFirstEnded() throws Exception {
        power.cycleAnswer = PowerOutcome.Kind.REFUSED;
        ManualExecutor powerThread = new ManualExecutor();
        Installs i = installs(powerThread);
        i.request(req("r1", A));
        disk.runAll();                      // on disk: the cycle is handed to the power thread (not run yet)
        i.request(req("r2", B));            // another change, not on disk yet
        i.tick();                           // asks again for A's pending cycle, once that change is on disk
        powerThread.runAll();               // the first cycles end: refused
        disk.runAll();                      // the change lands: the tick's late ask is let go
        powerThread.runAll();
        assertThat(power.calls()).filteredOn(c -> c.equals("cycle " + A)).hasSize(1);
        assertThat(i.machines().get(0).detail()).contains("power cycle failed", "REFUSED");
    }

    /** Installs with A requested, its first power cycle answered {@code answer} (and so are all later ones until the test says otherwise). */
    Installs requestedWith(PowerOutcome.Kind answer) throws Exception {
        power.cycleAnswer = answer;
        Installs i = installs();
        i.request(req("r1", A));
        disk.runAll();
        return i;
    }

    /** Ticks, moving the fake clock {@code seconds} first; returns how many cycles the power service has seen. */
    long tickAfter(Installs i, long seconds) {
        clock.advance(Duration.ofSeconds(seconds));
        i.tick();
        disk.runAll();
        return power.calls().stream().filter(c -> c.startsWith("cycle ")).count();
    }

    @Test
    void anUnreachableBmcIsRetriedAfter30And60And120SecondsThenTheInstallFailsWithTheReason() throws Exception {
        Installs i = requestedWith(PowerOutcome.Kind.UNREACHABLE);
        assertThat(tickAfter(i, 0)).isEqualTo(1);
        assertThat(i.machines().get(0).detail()).contains("power cycle failed", "UNREACHABLE", "retry 1 of 3 in 30 s");
        assertThat(tickAfter(i, 29)).isEqualTo(1);
        assertThat(tickAfter(i, 1)).isEqualTo(2);
        assertThat(i.machines().get(0).detail()).contains("retry 2 of 3 in 60 s");
        assertThat(tickAfter(i, 59)).isEqualTo(2);
        assertThat(tickAfter(i, 1)).isEqualTo(3);
        assertThat(tickAfter(i, 119)).isEqualTo(3);
        assertThat(state(i, A)).isEqualTo(MachineState.REQUESTED);
        assertThat(pxe.exists(A)).isTrue();
        assertThat(tickAfter(i, 1)).isEqualTo(4);
        MachineStatus a = i.machines().get(0);
        assertThat(a.state()).isEqualTo(MachineState.FAILED);
        assertThat(a.detail()).isEqualTo("power cycle failed 4 times (UNREACHABLE: fake cycle)");
        assertThat(pxe.exists(A)).isFalse();
        assertThat(saved()).contains("power cycle failed 4 times");
        assertThat(tickAfter(i, 600)).isEqualTo(4);
    }

    @Test
    void anUnreachableBmcIsRetriedAndASuccessfulRetryMovesTheInstallOnAlsoAfterARestart() throws Exception {
        Installs i = requestedWith(PowerOutcome.Kind.UNREACHABLE);
        assertThat(i.machines().get(0).detail()).contains("UNREACHABLE", "retry 1 of 3 in 30 s");
        Installs restarted = installs();   // the schedule is in installs.json
        power.cycleAnswer = PowerOutcome.Kind.DONE;
        assertThat(tickAfter(restarted, 10)).isEqualTo(1);
        assertThat(tickAfter(restarted, 20)).isEqualTo(2);
        assertThat(state(restarted, A)).isEqualTo(MachineState.INSTALLING);
        assertThat(tickAfter(restarted, 600)).isEqualTo(2);
    }

    @Test
    void aCycleThatTimedOutIsNotRetriedOnATimerSinceItMayHaveBeenApplied() throws Exception {
        Installs i = requestedWith(PowerOutcome.Kind.TIMED_OUT);   // the BMC answered late, but the node may be booting
        for (int n = 0; n < 10; n++) {
            assertThat(tickAfter(i, 60)).isEqualTo(1);
        }
        assertThat(state(i, A)).isEqualTo(MachineState.REQUESTED);
    }

    @Test
    void aNodeThatFetchesItsKickstartAfterAFailedCycleIsNotCycledAgain() throws Exception {
        Installs i = requestedWith(PowerOutcome.Kind.UNREACHABLE);   // the node rebooted anyway (e.g. by hand)
        token(i.kickstart(A, ADDR_A));
        disk.runAll();
        assertThat(tickAfter(i, 30)).isEqualTo(1);
        assertThat(tickAfter(i, 600)).isEqualTo(1);
        assertThat(state(i, A)).isEqualTo(MachineState.INSTALLING);
    }

    @Test
    void aRefusedPowerCycleIsNotRetriedOnATimer() throws Exception {
        Installs i = requestedWith(PowerOutcome.Kind.REFUSED);
        for (int n = 0; n < 20; n++) {
            assertThat(tickAfter(i, 60)).isEqualTo(1);
        }
        assertThat(i.machines().get(0).detail()).contains("REFUSED", "tried again when credentials.conf or headnode.conf changes");
        assertThat(state(i, A)).isEqualTo(MachineState.REQUESTED);
    }

    @Test
    void aWallClockSetBackDoesNotHoldAPowerRetryForTheLengthOfTheJump() throws Exception {
        Installs i = requestedWith(PowerOutcome.Kind.UNREACHABLE);
        clock.advance(Duration.ofHours(-1));
        assertThat(tickAfter(i, 0)).isEqualTo(2);
        assertThat(tickAfter(i, 59)).isEqualTo(2);
        assertThat(tickAfter(i, 1)).isEqualTo(3);
    }

    @Test
    void theDeadlineEndsAnInstallOnTheTickAfterIt() throws Exception {
        Installs i = installs();
        i.request(req("r1", A));
        disk.runAll();
        clock.advance(Duration.ofMinutes(29));
        i.tick();
        disk.runAll();
        assertThat(pxe.exists(A)).isTrue();
        clock.advance(Duration.ofMinutes(2));
        i.tick();
        disk.runAll();
        assertThat(pxe.exists(A)).isFalse();
        assertThat(state(i, A)).isEqualTo(MachineState.FAILED);
        assertThat(i.kickstart(A, ADDR_A).status()).isEqualTo(404);
    }

    /**
     * Fault (docs/faults.md): the wall clock jumps a day forward while a node installs (NTP stepping a VM's clock).
     * The first tick after the jump ends the install {@code failed} with the deadline reason, saved on disk, its
     * config gone; the installer's late callback is refused; a jump back does not revive it.
     */
    @Test
    void aWallClockJumpForwardPastTheDeadlineEndsTheInstallFailedWithTheDeadlineReason() throws Exception {
        Installs i = installs();
        String token = installing(i);
        clock.advance(Duration.ofDays(1));
        i.tick();
        disk.runAll();
        assertThat(state(i, A)).isEqualTo(MachineState.FAILED);
        assertThat(saved()).contains("FAILED").contains("deadline passed without the installer's callback");
        assertThat(pxe.exists(A)).isFalse();
        assertThat(i.callback(A, ADDR_A, token)).isCompletedWithValue(new Answer(409, "no install in progress\n"));
        clock.advance(Duration.ofDays(-1));
        i.tick();
        disk.runAll();
        assertThat(state(i, A)).isEqualTo(MachineState.FAILED);
        assertThat(i.kickstart(A, ADDR_A).status()).isEqualTo(404);
        assertThat(disk.pending()).isZero();
    }

    /**
     * A caller that stops waiting (the HTTP route answers 503 when the save takes too long) completes the callback's
     * future itself: then the completion must not be recorded, or the installer, told 503, retries and gets 409 while
     * the node is in fact installed (seen in the 1,000-node storm). The install stays active and the retry succeeds.
     */
    @Test
    void aCallbackWhoseCallerGaveUpWaitingIsNotRecordedAndItsRetrySucceeds() throws Exception {
        Installs i = installs();
        String token = installing(i);

        CompletableFuture<Answer> first = i.callback(A, ADDR_A, token);
        assertThat(first.complete(new Answer(503, "cannot record the callback\n"))).isTrue();   // the route gave up
        disk.runAll();
        assertThat(state(i, A)).isEqualTo(MachineState.INSTALLING);
        assertThat(saved()).doesNotContain("INSTALLED");
        assertThat(pxe.exists(A)).isTrue();

        CompletableFuture<Answer> retry = i.callback(A, ADDR_A, token);
        disk.runAll();
        assertThat(retry).isCompletedWithValue(new Answer(200, "ok\n"));
        assertThat(saved()).contains("INSTALLED");
        assertThat(pxe.exists(A)).isFalse();
        assertThat(disk.pending()).isZero();
    }

    @Test
    void aStateThatCannotBeSavedRefusesTheCallbackKeepsTheInstallAndRecovers() throws Exception {
        Installs i = installs();
        String token = installing(i);
        Files.delete(stateFile);
        Files.createDirectories(stateFile.resolve("in-the-way"));   // installs.json is now a directory: saving fails

        CompletableFuture<Answer> refused = i.callback(A, ADDR_A, token);
        disk.runAll();
        assertThat(refused).isCompletedWithValue(new Answer(503, "cannot record the callback\n"));
        assertThat(state(i, A)).isEqualTo(MachineState.INSTALLING);
        assertThat(pxe.exists(A)).isTrue();
        assertThat(i.health().state()).isEqualTo(HealthState.FAILED);
        assertThat(i.health().detail()).contains("cannot save", "installs.json");

        Files.delete(stateFile.resolve("in-the-way"));
        Files.delete(stateFile);
        i.tick();
        disk.runAll();
        assertThat(i.health().state()).isEqualTo(HealthState.OK);
        CompletableFuture<Answer> accepted = i.callback(A, ADDR_A, token);
        disk.runAll();
        assertThat(accepted).isCompletedWithValue(new Answer(200, "ok\n"));
        assertThat(pxe.exists(A)).isFalse();
    }

    @Test
    void aPxelinuxCfgThatCannotBeWrittenShowsInTheHealthButTheStateIsStillSaved() throws Exception {
        Files.createDirectories(dir.resolve("tftpboot"));
        Files.writeString(dir.resolve("tftpboot/pxelinux.cfg"), "not a directory\n");
        Installs i = installs();
        assertThat(i.request(req("r1", A)).isDone()).isFalse();
        disk.runAll();
        assertThat(saved()).contains("r1");
        assertThat(i.health().state()).isEqualTo(HealthState.FAILED);
        assertThat(i.health().detail()).startsWith("cannot bring pxelinux.cfg in line");
        Files.delete(dir.resolve("tftpboot/pxelinux.cfg"));
        i.tick();
        disk.runAll();
        assertThat(i.health().state()).isEqualTo(HealthState.OK);
        assertThat(pxe.exists(A)).isTrue();
    }

    @Test
    void leavingMachinesTxtEndsTheInstallAndRemovesItsConfig() throws Exception {
        Installs i = installs();
        i.request(req("r1", A, B));
        disk.runAll();
        i.update(InstallFixtures.snapshot(B), Map.of(B, ADDR_B));
        disk.runAll();
        assertThat(pxe.exists(A)).isFalse();
        assertThat(pxe.exists(B)).isTrue();
        assertThat(i.book().node(A.value()).state()).isEqualTo(InstallState.FAILED);
        assertThat(i.machines()).extracting(MachineStatus::mac).containsExactly(B);
    }

    @Test
    void beforeAnyShareNothingIsServedOrRun() throws Exception {
        Installs i = loaded(Runnable::run);
        assertThat(i.request(req("r1", A))).isCompletedWithValue(false);
        assertThat(i.ran("r1")).isFalse();
        assertThat(i.kickstart(A, ADDR_A).status()).isEqualTo(403);
        assertThat(i.callback(A, ADDR_A, "x".repeat(43))).isCompletedWithValue(new Answer(403, "forbidden\n"));
        assertThat(i.machines()).isEmpty();
        assertThat(disk.pending()).isZero();
    }
}
