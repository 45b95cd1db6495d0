package io.headnode.agent;

import io.headnode.contract.AgentStatus;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints the agent's last published status. Exit 0: ready (share applied, services healthy); 1: running but
 * degraded (share missing or invalid, a service down); 2: no current status (agent not running, or stale).
 */
@Command(name = "status", description = "Show share, machines, services and firewall; exit 0 ready, 1 degraded, 2 unknown.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;
    @Option(names = "--json", description = "print the raw JSON line")
    boolean json;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        AgentConfig c = config.load();
        PrintWriter out = spec.commandLine().getOut();
        String text;
        try {
            text = Files.readString(c.statusFile());
        } catch (NoSuchFileException e) {
            out.println("no status at " + c.statusFile() + ": is headnode-agent running?");
            return 2;
        }
        AgentStatus s;
        try {
            s = AgentStatus.parse(text.strip());
        } catch (IllegalArgumentException e) {
            out.println(c.statusFile() + ": " + e.getMessage());
            return 2;
        }
        Instant updated = s.updated() == null ? Instant.EPOCH : s.updated();
        Duration age = Duration.between(updated, Instant.now());
        if (json) {
            out.print(text);
        } else {
            out.printf("share:    %s%n", s.share());
            out.printf("vlan:     %s%n", s.vlan() == null ? "-" : s.vlan());
            out.printf("updated:  %s (%d s ago)%n", updated, age.toSeconds());
            out.println("services:");
            s.services().forEach((name, h) -> out.printf("  %-14s %-9s %s%n", name, h.state().word(), h.detail()));
            out.println("machines:");
            for (AgentStatus.MachineStatus m : s.machines()) {
                out.printf("  %s  %-15s %-10s %s %s%n", m.mac(), m.address() == null ? "-" : m.address(), m.state().word(),
                        m.since() == null ? "" : m.since(), m.detail());
            }
            if (s.omittedMachines() > 0) {
                out.printf("  (%d more not listed)%n", s.omittedMachines());
            }
        }
        out.flush();
        if (age.compareTo(c.statusInterval().multipliedBy(3).plusSeconds(5)) > 0) {
            out.println("status is stale: the agent has not reported for " + age.toSeconds() + " s");
            out.flush();
            return 2;
        }
        return s.ready() ? 0 : 1;
    }
}
