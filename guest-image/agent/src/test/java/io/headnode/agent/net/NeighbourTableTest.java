package io.headnode.agent.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.exec.CommandException;
import io.headnode.common.iproute.Neighbour;
import io.headnode.contract.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The shared, never-stale neighbour table reads (a hand-driven reader stands in for {@code ip -json neigh show}). */
class NeighbourTableTest {
    static Neighbour entry(String address, String mac, String state) {
        return new Neighbour(address, Optional.ofNullable(mac), List.of(state));
    }

    @Test
    void answersOnlyResolvedEthernetEntries() {
        NeighbourTable t = new NeighbourTable(() -> List.of(entry("10.0.5.2", "52:54:00:aa:00:02", "REACHABLE"),
                entry("10.0.5.3", "52:54:00:aa:00:03", "STALE"), entry("10.0.5.4", null, "INCOMPLETE"),
                entry("10.0.5.5", "52:54:00:aa:00:05", "FAILED"), entry("10.0.5.6", "00:00:00:00", "NOARP"),
                entry("fd00::5", "52:54:00:aa:00:55", "REACHABLE")));
        assertThat(t.macOf("10.0.5.2")).contains(MacAddress.parse("52:54:00:aa:00:02"));
        assertThat(t.macOf("10.0.5.3")).as("STALE still names the MAC last confirmed").contains(MacAddress.parse("52:54:00:aa:00:03"));
        assertThat(t.macOf("10.0.5.4")).isEmpty();
        assertThat(t.macOf("10.0.5.5")).isEmpty();
        assertThat(t.macOf("10.0.5.6")).as("not an Ethernet address").isEmpty();
        assertThat(t.macOf("10.0.5.9")).isEmpty();
        assertThat(t.macOf("fd00:0:0:0:0:0:0:5")).as("IPv6 in Java's long form").contains(MacAddress.parse("52:54:00:aa:00:55"));
    }

    @Test
    void everyQuestionIsAnsweredByAReadThatStartedAfterIt() {
        AtomicReference<String> holder = new AtomicReference<>("52:54:00:aa:00:02");
        AtomicInteger reads = new AtomicInteger();
        NeighbourTable t = new NeighbourTable(() -> {
            reads.incrementAndGet();
            return List.of(entry("10.0.5.2", holder.get(), "REACHABLE"));
        });
        assertThat(t.macOf("10.0.5.2")).contains(MacAddress.parse("52:54:00:aa:00:02"));
        holder.set("52:54:00:ee:00:01");
        assertThat(t.macOf("10.0.5.2")).as("no cached answer from before the take-over").contains(MacAddress.parse("52:54:00:ee:00:01"));
        assertThat(reads).hasValue(2);
    }

    @Test
    void questionsAskedDuringAReadShareTheNextOneAndOnlyOneReadRunsAtATime() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CompletableFuture<Void> releaseFirst = new CompletableFuture<>();
        AtomicInteger reads = new AtomicInteger();
        AtomicInteger running = new AtomicInteger();
        List<Integer> overlap = new ArrayList<>();
        NeighbourTable t = new NeighbourTable(() -> {
            int n = reads.incrementAndGet();
            synchronized (overlap) {
                overlap.add(running.incrementAndGet());
            }
            try {
                if (n == 1) {
                    firstStarted.countDown();
                    releaseFirst.join();
                }
                return List.of(entry("10.0.5.2", n == 1 ? "52:54:00:aa:00:01" : "52:54:00:aa:00:02", "REACHABLE"));
            } finally {
                running.decrementAndGet();
            }
        });
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<Optional<MacAddress>> first = pool.submit(() -> t.macOf("10.0.5.2"));
            assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
            List<Future<Optional<MacAddress>>> later = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                later.add(pool.submit(() -> t.macOf("10.0.5.2")));
            }
            // the 8 late questions wait (the first read started before them, so its answer is not theirs)
            org.awaitility.Awaitility.await().during(java.time.Duration.ofMillis(200)).atMost(java.time.Duration.ofSeconds(5))
                    .until(() -> later.stream().noneMatch(Future::isDone));
            releaseFirst.complete(null);
            assertThat(first.get(10, TimeUnit.SECONDS)).contains(MacAddress.parse("52:54:00:aa:00:01"));
            for (Future<Optional<MacAddress>> f : later) {
                assertThat(f.get(10, TimeUnit.SECONDS)).contains(MacAddress.parse("52:54:00:aa:00:02"));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(reads).as("one read for the first question, one shared by the eight that queued behind it").hasValue(2);
        assertThat(overlap).containsOnly(1);
    }

    /**
     * A storm's questions hold no thread while they wait: a thousand asked during one read (no thread of the caller's
     * blocked) are all answered by the next read, one for them all.
     */
    @Test
    void aThousandAsynchronousQuestionsDuringAReadShareTheNextOne() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CompletableFuture<Void> releaseFirst = new CompletableFuture<>();
        AtomicInteger reads = new AtomicInteger();
        NeighbourTable t = new NeighbourTable(() -> {
            if (reads.incrementAndGet() == 1) {
                firstStarted.countDown();
                releaseFirst.join();
            }
            return List.of(entry("10.0.5.2", "52:54:00:aa:00:02", "REACHABLE"));
        });
        CompletableFuture<Optional<MacAddress>> first = t.macOfAsync("10.0.5.2");
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        List<CompletableFuture<Optional<MacAddress>>> later = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            later.add(t.macOfAsync(i % 2 == 0 ? "10.0.5.2" : "10.0.5.3"));
        }
        assertThat(later).noneMatch(CompletableFuture::isDone);
        releaseFirst.complete(null);
        assertThat(first.get(10, TimeUnit.SECONDS)).contains(MacAddress.parse("52:54:00:aa:00:02"));
        for (int i = 0; i < later.size(); i++) {
            assertThat(later.get(i).get(10, TimeUnit.SECONDS)).isEqualTo(i % 2 == 0 ? Optional.of(MacAddress.parse("52:54:00:aa:00:02")) : Optional.empty());
        }
        assertThat(reads).hasValue(2);
    }

    @Test
    void aFailedReadFailsItsQuestionsAndTheNextQuestionReadsAgain() {
        AtomicInteger reads = new AtomicInteger();
        NeighbourTable t = new NeighbourTable(() -> {
            if (reads.incrementAndGet() == 1) {
                throw new CommandException("ip -json neigh show: timed out");
            }
            return List.of(entry("10.0.5.2", "52:54:00:aa:00:02", "REACHABLE"));
        });
        assertThatThrownBy(() -> t.macOf("10.0.5.2")).isInstanceOf(CommandException.class).hasMessageContaining("timed out");
        assertThat(t.macOf("10.0.5.2")).contains(MacAddress.parse("52:54:00:aa:00:02"));
    }
}
