package io.headnode.power.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Machine;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerSettings;
import io.headnode.power.PowerState;
import io.headnode.power.Ticker;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class PowerBatchTest {
    private static List<Machine> machines(int n) {
        List<Machine> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Fixtures.machine(i + 1, "10.0.0." + (i + 1)));
        }
        return out;
    }

    @Test
    void boundedParallelismAndResultsInOrder() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        PowerSettings s = Fixtures.fast().withParallelism(3);
        List<PowerBatch.Result> r = new PowerBatch(s, Ticker.SYSTEM).run(machines(10), false, m -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            try {
                Thread.sleep(30);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            running.decrementAndGet();
            return new PowerOutcome(PowerOutcome.Kind.DONE, PowerState.ON, m.bmc().toString());
        });
        assertThat(peak.get()).isBetween(2, 3);
        assertThat(r).extracting(x -> x.outcome().detail()).containsExactly(
                "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4", "10.0.0.5", "10.0.0.6", "10.0.0.7", "10.0.0.8", "10.0.0.9", "10.0.0.10");
    }

    @Test
    void powerOnStartsAreStaggered() throws Exception {
        PowerSettings s = Fixtures.fast().withParallelism(8).withStagger(Duration.ofMillis(40));
        List<Long> starts = java.util.Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        new PowerBatch(s, Ticker.SYSTEM).run(machines(5), true, m -> {
            starts.add((System.nanoTime() - t0) / 1_000_000);
            return new PowerOutcome(PowerOutcome.Kind.DONE, PowerState.ON, "");
        });
        List<Long> sorted = new ArrayList<>(starts);
        sorted.sort(null);
        // a start may be late (scheduling) but never early: the i-th start is at least i slots after the run began
        for (int i = 1; i < sorted.size(); i++) {
            assertThat(sorted.get(i)).as("start %d", i).isGreaterThanOrEqualTo(i * 40L - 2);
        }
    }

    @Test
    void aThrowingOperationIsAFailedRowNotACrash() throws Exception {
        List<PowerBatch.Result> r = new PowerBatch(Fixtures.fast(), Ticker.SYSTEM).run(machines(2), false, m -> {
            throw new IllegalStateException("boom");
        });
        assertThat(r).allSatisfy(x -> assertThat(x.outcome().succeeded()).isFalse());
        String table = SummaryTable.render("on", r);
        assertThat(table).contains("MAC").contains("refused").contains("on: 2 node(s), 2 failed, refused 2");
    }
}
