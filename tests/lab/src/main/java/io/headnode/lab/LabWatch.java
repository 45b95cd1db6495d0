package io.headnode.lab;

import io.headnode.contract.AgentStatus;
import io.headnode.orchestrator.cli.AgentStatusText;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.status.AgentStatusReader;
import io.headnode.orchestrator.status.AgentStatuses;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Watches the lab from outside: the agent's status channel, then each node's serial console until its disk boot. */
final class LabWatch {
    private static final Duration AGENT_POLL = Duration.ofSeconds(1);
    private static final Duration NODE_POLL = Duration.ofMillis(500);
    private final LabSettings settings;
    private final LabNodes nodes;
    private final LabLog log;

    LabWatch(LabSettings settings, LabNodes nodes, LabLog log) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.nodes = Objects.requireNonNull(nodes, "nodes is null");
        this.log = Objects.requireNonNull(log, "log is null");
    }

    /** What became of each node, and when (seconds on the lab's clock; null when it never finished). */
    record Outcome(List<NodeProgress> progress, List<Double> doneAt) {
    }

    /** Waits until the agent publishes its status on the virtio-serial channel; returns the seconds on the lab's clock. */
    double agent(HeadnodePaths paths, long deadline) {
        Path socket = paths.statusSocket(settings.vlan());
        while (System.nanoTime() < deadline) {
            log.waiting("waiting for the head node's agent to report on its status channel");
            Optional<AgentStatus> s = Files.exists(socket)
                    ? AgentStatusReader.readFresh(socket, Duration.ofSeconds(2), Instant.now(), AgentStatuses.MAX_AGE) : Optional.empty();
            if (s.isPresent()) {
                log.doneWaiting();
                log.step("agent status: " + AgentStatusText.summary(s.get()));
                return log.elapsed();
            }
            pause(AGENT_POLL);
        }
        log.doneWaiting();
        String console = LabNodes.console(paths.consoleLog(settings.vlan()));
        throw new LabException("the head node's agent did not report within the timeout; console: "
                + console.substring(Math.max(0, console.length() - 1500)));
    }

    /** Prints each node's progress as it changes, until every node booted its disk or failed, or the deadline. */
    Outcome nodes(long deadline) {
        NodeProgress[] last = new NodeProgress[settings.nodes() + 1];
        Double[] done = new Double[settings.nodes() + 1];
        boolean finished = false;
        while (!finished && System.nanoTime() <= deadline) {
            finished = true;
            for (int i = 1; i <= settings.nodes(); i++) {
                NodeProgress p = nodes.progress(i);
                if (p != last[i]) {
                    log.step("node " + settings.nodeName(i) + ": " + p.description());
                    last[i] = p;
                }
                if (p == NodeProgress.BOOTED_FROM_DISK || p == NodeProgress.FAILED) {
                    done[i] = done[i] == null ? log.elapsed() : done[i];
                } else {
                    finished = false;
                }
            }
            if (!finished) {
                log.waiting(summary(last));
                pause(NODE_POLL);
            }
        }
        log.doneWaiting();
        List<NodeProgress> progress = new ArrayList<>();
        List<Double> doneAt = new ArrayList<>();
        for (int i = 1; i <= settings.nodes(); i++) {
            progress.add(last[i]);
            doneAt.add(done[i]);
        }
        if (progress.stream().allMatch(p -> p == NodeProgress.BOOTED_FROM_DISK)) {
            log.step("all " + settings.nodes() + " node(s) installed and rebooted from their disks");
        } else {
            log.step("not every node finished: " + progress);
        }
        return new Outcome(progress, doneAt);
    }

    /** "1 of 2 node(s) done; hnlab-node1: installer running". */
    String summary(NodeProgress[] last) {
        StringBuilder b = new StringBuilder();
        int done = 0;
        for (int i = 1; i <= settings.nodes(); i++) {
            if (last[i] == NodeProgress.BOOTED_FROM_DISK || last[i] == NodeProgress.FAILED) {
                done++;
            } else {
                b.append("; ").append(settings.nodeName(i)).append(": ").append(last[i] == null ? "-" : last[i].description());
            }
        }
        return done + " of " + settings.nodes() + " node(s) done" + b;
    }

    private static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LabException("interrupted");
        }
    }

}
