package io.headnode.orchestrator.cluster;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.MachineList;
import io.headnode.contract.ShareFormatException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What a host writes to ZooKeeper for one VLAN from its head node's agent status (no I/O): the completed installs to
 * record under {@code /installs/<vlan>/<mac>} and the install requests to rewrite without the completed MACs (or to
 * remove when nothing is left), so that a head node that moves neither loses a completion nor reinstalls a finished
 * node. A MAC counts as completed for a request only when the agent reports it {@code INSTALLED} since after the
 * request was last written (a later request for an installed node is a reinstall, not a done one); one already
 * recorded in ZooKeeper after the request was written counts too (reported by the VLAN's previous host). A request
 * for {@code all} becomes the explicit list of machines.txt's MACs still to do.
 */
public record InstallCompletions(Map<MacAddress, Instant> record, Map<String, byte[]> rewrite, Set<String> remove) {
    public InstallCompletions {
        record = Map.copyOf(record);
        rewrite = Map.copyOf(rewrite);
        remove = Set.copyOf(remove);
    }

    public boolean isEmpty() {
        return record.isEmpty() && rewrite.isEmpty() && remove.isEmpty();
    }

    /**
     * @param status        the head node's agent status
     * @param shareFiles    the VLAN's share files in ZooKeeper by relative name
     * @param requestWritten when each {@code requests/<x>.install} node was last written (ZooKeeper's mtime)
     * @param recorded      completions already in ZooKeeper for the VLAN
     */
    public static InstallCompletions of(AgentStatus status, Map<String, byte[]> shareFiles, Map<String, Instant> requestWritten,
                                        Map<MacAddress, Instant> recorded) {
        Objects.requireNonNull(status, "status is null");
        Map<MacAddress, Instant> installed = new TreeMap<>();
        status.machines().forEach(m -> {
            if (m.state() == MachineState.INSTALLED && m.since() != null) {
                installed.put(m.mac(), m.since());
            }
        });
        Map<MacAddress, Instant> toRecord = new TreeMap<>();
        installed.forEach((mac, since) -> {
            if (!since.equals(recorded.get(mac))) {
                toRecord.put(mac, since);
            }
        });
        Map<MacAddress, Instant> done = new TreeMap<>(recorded);
        done.putAll(installed);
        Map<String, byte[]> rewrite = new TreeMap<>();
        Set<String> remove = new TreeSet<>();
        String prefix = InstallRequest.DIRECTORY + "/";
        for (Map.Entry<String, byte[]> f : shareFiles.entrySet()) {
            String name = f.getKey();
            if (!name.startsWith(prefix) || !name.endsWith(InstallRequest.SUFFIX) || !requestWritten.containsKey(name)) {
                continue;
            }
            String id = name.substring(prefix.length(), name.length() - InstallRequest.SUFFIX.length());
            InstallRequest r;
            List<MacAddress> listed;
            try {
                r = InstallRequest.parse(name, id, f.getValue());
                listed = r.all() ? machines(shareFiles) : r.macs();
            } catch (ShareFormatException | IllegalArgumentException e) {
                continue; // the agent reports a bad request itself; leave it as it is
            }
            Instant written = requestWritten.get(name);
            List<MacAddress> left = new ArrayList<>();
            for (MacAddress mac : listed) {
                Instant d = done.get(mac);
                if (d == null || !d.isAfter(written)) {
                    left.add(mac);
                }
            }
            if (listed.isEmpty() || left.size() == listed.size()) {
                continue;
            }
            if (left.isEmpty()) {
                remove.add(name);
            } else {
                rewrite.put(name, new InstallRequest(id, false, left).render());
            }
        }
        return new InstallCompletions(toRecord, rewrite, remove);
    }

    private static List<MacAddress> machines(Map<String, byte[]> shareFiles) throws ShareFormatException {
        byte[] m = shareFiles.get(MachineList.FILE_NAME);
        if (m == null) {
            return List.of();
        }
        return MachineList.parse(MachineList.FILE_NAME, m).machines().stream().map(io.headnode.contract.Machine::mac).toList();
    }
}
