package io.headnode.orchestrator.cli;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * The agent's status ({@link AgentStatus}, from the status channel) for people: a few fields, the services that are
 * not healthy, and a table of nodes (MAC, address, state, since, detail). One renderer for {@code headnode show} and
 * {@code headnode lab}; scripts use {@code --output json} instead. Ages ("since") are taken against {@code now}.
 */
public final class AgentStatusText {
    /** Width of a field's label, as {@code headnode show} aligns its own fields. */
    public static final int LABEL_WIDTH = 13;

    private AgentStatusText() {
    }

    /** Prints the fields and tables, ending with a line break. */
    public static void print(PrintWriter out, AgentStatus a, Instant now) {
        out.print(render(a, now));
    }

    public static String render(AgentStatus a, Instant now) {
        Objects.requireNonNull(a, "a is null");
        Objects.requireNonNull(now, "now is null");
        StringBuilder b = new StringBuilder();
        field(b, "agent", (a.ready() ? "ready" : "not ready") + ", updated "
                + (a.updated() == null ? "-" : a.updated() + " (" + age(a.updated(), now) + " ago)"));
        field(b, "guest share", a.share().text());
        field(b, "guest vlan", a.vlan() == null ? "-" : a.vlan().toString());
        TextTable services = TextTable.of("SERVICE", "STATE", "DETAIL");
        a.services().forEach((name, h) -> {
            if (!h.healthy()) {
                services.row(name, h.state().word(), h.detail());
            }
        });
        field(b, "services", services.size() == 0 ? "all " + a.services().size() + " healthy"
                : services.size() + " of " + a.services().size() + " not healthy");
        if (services.size() > 0) {
            b.append(services.render("  "));
        }
        field(b, "nodes", nodeCounts(a));
        if (!a.machines().isEmpty()) {
            TextTable nodes = TextTable.of("MAC", "ADDRESS", "STATE", "SINCE", "DETAIL");
            for (MachineStatus m : a.machines()) {
                nodes.row(m.mac(), m.address(), m.state().word(), m.since() == null ? null : age(m.since(), now), m.detail());
            }
            b.append(nodes.render("  "));
        }
        if (a.omittedMachines() > 0) {
            b.append("  (").append(a.omittedMachines()).append(" more nodes not listed by the agent)\n");
        }
        return b.toString();
    }

    /** One line: readiness, share and node counts (the lab's progress line). */
    public static String summary(AgentStatus a) {
        return (a.ready() ? "ready" : "not ready") + ", share " + TextTable.cell(a.share().text()) + ", nodes " + nodeCounts(a);
    }

    /** "3 listed: 1 installing, 2 installed", or "none listed". */
    static String nodeCounts(AgentStatus a) {
        int total = a.machines().size() + a.omittedMachines();
        if (total == 0) {
            return "none listed";
        }
        Map<MachineState, Integer> counts = new EnumMap<>(MachineState.class);
        a.machines().forEach(m -> counts.merge(m.state(), 1, Integer::sum));
        StringJoiner j = new StringJoiner(", ", total + " listed: ", "");
        counts.forEach((s, n) -> j.add(n + " " + s.word()));
        if (a.omittedMachines() > 0) {
            j.add(a.omittedMachines() + " not listed");
        }
        return j.toString();
    }

    /** How long ago {@code then} was: "now", "12s", "4m12s", "3h05m", "2d04h" (a time ahead of {@code now} is "now"). */
    public static String age(Instant then, Instant now) {
        long s = Math.max(0, Duration.between(then, now).toSeconds());
        if (s == 0) {
            return "now";
        }
        if (s < 60) {
            return s + "s";
        }
        if (s < 3600) {
            return String.format("%dm%02ds", s / 60, s % 60);
        }
        if (s < 86400) {
            return String.format("%dh%02dm", s / 3600, s % 3600 / 60);
        }
        return String.format("%dd%02dh", s / 86400, s % 86400 / 3600);
    }

    private static void field(StringBuilder b, String label, String value) {
        b.append(String.format("%-" + LABEL_WIDTH + "s %s%n", label + ":", TextTable.cell(value)));
    }
}
