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

    /**
     * For the `image` profile: waits until the agent's status lists every lab node as {@code active} (its OS posted its
     * first-boot report) or {@code failed}, or the deadline; prints each change. Returns the last state of each node
     * (empty when the agent did not list it).
     */
    List<Optional<AgentStatus.MachineState>> active(HeadnodePaths paths, long deadline) {
        Path socket = paths.statusSocket(settings.vlan());
        List<Optional<AgentStatus.MachineState>> states = new ArrayList<>();
        List<Optional<AgentStatus.MachineState>> printed = new ArrayList<>();
        for (int i = 1; i <= settings.nodes(); i++) {
            states.add(Optional.empty());
            printed.add(Optional.empty());
        }
        while (true) {
            Optional<AgentStatus> s = AgentStatusReader.readFresh(socket, Duration.ofSeconds(12), Instant.now(), AgentStatuses.MAX_AGE);
            boolean finished = true;
            for (int i = 1; i <= settings.nodes(); i++) {
                String mac = settings.nodeMac(i);
                Optional<AgentStatus.MachineStatus> m = s.flatMap(st -> st.machines().stream()
                        .filter(x -> x.mac().toString().equalsIgnoreCase(mac)).findFirst());
                states.set(i - 1, m.map(AgentStatus.MachineStatus::state));
                if (m.isPresent() && !states.get(i - 1).equals(printed.get(i - 1))) {
                    log.step("node " + settings.nodeName(i) + ": agent says " + m.get().state().word()
                            + (m.get().detail().isEmpty() ? "" : " (" + m.get().detail() + ")"));
                    printed.set(i - 1, states.get(i - 1));
                }
                finished &= m.map(x -> x.state() == AgentStatus.MachineState.ACTIVE || x.state() == AgentStatus.MachineState.FAILED).orElse(false);
            }
            if (finished || System.nanoTime() > deadline) {
                log.doneWaiting();
                return states;
            }
            log.waiting("waiting for the agent to report every node active");
            pause(AGENT_POLL);
        }
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
