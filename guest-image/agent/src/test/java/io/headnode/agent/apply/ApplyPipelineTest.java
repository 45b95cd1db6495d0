package io.headnode.agent.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.install.InstallFixtures;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.HealthState;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Step order, gating, per-step backoff and the health overlay, with scripted steps and explicit times. */
class ApplyPipelineTest {
    static final Instant T0 = Instant.parse("2026-11-25T00:00:00Z");
    static final Duration BACKOFF = Duration.ofSeconds(30);
    final List<String> runs = new ArrayList<>();

    /** A step that answers from a script (UNCHANGED when the script is empty) and records its runs. */
    class Scripted implements ApplyStep {
        final String name;
        final boolean gates;
        final Deque<StepResult> script = new ArrayDeque<>();
        boolean closed;

        Scripted(String name, boolean gates, StepResult... results) {
            this.name = name;
            this.gates = gates;
            script.addAll(List.of(results));
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public boolean gates() {
            return gates;
        }

        @Override
        public StepResult apply(ShareSnapshot share) {
            runs.add(name);
            StepResult r = script.poll();
            return r == null ? StepResult.UNCHANGED : r;
        }

        @Override
        public Map<String, Health> health() {
            return Map.of(name, Health.ok("fine"));
        }

        @Override
        public void close() {
            closed = true;
            runs.add("close " + name);
        }
    }

    static final ShareSnapshot S1 = InstallFixtures.snapshot(InstallFixtures.A);
    static final ShareSnapshot S2 = InstallFixtures.snapshot(InstallFixtures.A, InstallFixtures.B);

    @Test
    void stepsRunInOrderOncePerSnapshotAndANewSnapshotRunsThemAgain() {
        ApplyPipeline p = new ApplyPipeline(List.of(new Scripted("a", true), new Scripted("b", false)), BACKOFF);
        assertThat(p.run(S1, T0)).isTrue();
        assertThat(p.run(S1, T0.plusSeconds(100))).isTrue();
        assertThat(runs).containsExactly("a", "b");
        assertThat(p.run(S2, T0.plusSeconds(101))).isTrue();
        assertThat(runs).containsExactly("a", "b", "a", "b");
    }

    @Test
    void aFailedGatingStepHoldsBackTheRestAndIsRetriedAfterItsBackoffOnly() {
        Scripted a = new Scripted("a", false);
        Scripted gate = new Scripted("gate", true, new StepResult.Failed("rejected"), new StepResult.Failed("still rejected"));
        Scripted c = new Scripted("c", false);
        ApplyPipeline p = new ApplyPipeline(List.of(a, gate, c), BACKOFF);
        assertThat(p.run(S1, T0)).isFalse();
        assertThat(runs).containsExactly("a", "gate");
        assertThat(p.health()).containsEntry("gate", Health.failed("rejected")).containsEntry("c", Health.ok("fine"));
        assertThat(p.run(S1, T0.plusSeconds(29))).isFalse();
        assertThat(runs).containsExactly("a", "gate");
        assertThat(p.run(S1, T0.plusSeconds(30))).isFalse();
        assertThat(runs).containsExactly("a", "gate", "gate");
        assertThat(p.health().get("gate").detail()).isEqualTo("still rejected");
        assertThat(p.run(S1, T0.plusSeconds(60))).isTrue();
        assertThat(runs).containsExactly("a", "gate", "gate", "gate", "c");
        assertThat(p.health().get("gate")).isEqualTo(Health.ok("fine"));
    }

    @Test
    void aWallClockJumpBackDoesNotHoldAFailedStepForTheLengthOfTheJump() {
        Scripted gate = new Scripted("gate", true, new StepResult.Failed("rejected"), new StepResult.Failed("still rejected"));
        ApplyPipeline p = new ApplyPipeline(List.of(gate), BACKOFF);
        assertThat(p.run(S1, T0)).isFalse();
        assertThat(p.run(S1, T0.minusSeconds(3600))).as("an hour back: retried now").isFalse();
        assertThat(runs).containsExactly("gate", "gate");
        assertThat(p.run(S1, T0.minusSeconds(3600 - 29))).as("the new backoff runs from the new time").isFalse();
        assertThat(runs).containsExactly("gate", "gate");
        assertThat(p.run(S1, T0.plusSeconds(7200))).as("forward: retried").isTrue();
        assertThat(runs).containsExactly("gate", "gate", "gate");
    }

    @Test
    void aFailedStepThatDoesNotGateLetsTheRestRunAndIsRetriedAlone() {
        Scripted soft = new Scripted("soft", false, new StepResult.Failed("incomplete"));
        Scripted last = new Scripted("last", false);
        ApplyPipeline p = new ApplyPipeline(List.of(soft, last), BACKOFF);
        assertThat(p.run(S1, T0)).isFalse();
        assertThat(runs).containsExactly("soft", "last");
        assertThat(p.health().get("soft").state()).isEqualTo(HealthState.FAILED);
        assertThat(p.run(S1, T0.plusSeconds(10))).isFalse();
        assertThat(p.run(S1, T0.plusSeconds(31))).isTrue();
        assertThat(runs).containsExactly("soft", "last", "soft");
    }

    @Test
    void aNewSnapshotIsTriedAtOnceEvenWhileABackoffRuns() {
        Scripted gate = new Scripted("gate", true, new StepResult.Failed("rejected"));
        ApplyPipeline p = new ApplyPipeline(List.of(gate), BACKOFF);
        assertThat(p.run(S1, T0)).isFalse();
        assertThat(p.run(S2, T0.plusSeconds(1))).isTrue();
        assertThat(runs).containsExactly("gate", "gate");
    }

    @Test
    void anExceptionIsAFailureNamingIt() {
        ApplyStep broken = new Scripted("broken", true) {
            @Override
            public StepResult apply(ShareSnapshot share) {
                throw new IllegalStateException("boom");
            }
        };
        ApplyPipeline p = new ApplyPipeline(List.of(broken), BACKOFF);
        assertThat(p.run(S1, T0)).isFalse();
        assertThat(p.health().get("broken")).isEqualTo(Health.failed("java.lang.IllegalStateException: boom"));
    }

    @Test
    void closeStopsTheStepsLastFirst() {
        ApplyPipeline p = new ApplyPipeline(List.of(new Scripted("a", true), new Scripted("b", true)), BACKOFF);
        p.close();
        assertThat(runs).containsExactly("close b", "close a");
    }
}
