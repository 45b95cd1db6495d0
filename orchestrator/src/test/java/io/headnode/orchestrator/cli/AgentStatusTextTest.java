package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Vlan;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentStatusTextTest {
    static final Instant NOW = Instant.parse("2026-11-25T01:37:10Z");

    static AgentStatus degraded() {
        Map<String, Health> services = new LinkedHashMap<>();
        services.put("dhcpd", Health.failed("dhcpd -t rejected the rendered configuration"));
        services.put("tftpd", Health.ok("running"));
        services.put("radvd", Health.unmanaged());
        return new AgentStatus(false, AgentStatus.Share.invalid("machines.txt:3: mac: bad"), new Vlan(100), List.of(
                new MachineStatus(MacAddress.parse("52:54:00:aa:00:01"), MachineState.INSTALLING, "10.100.0.2",
                        Instant.parse("2026-11-25T01:33:00Z"), "installer booted (attempt 1)"),
                new MachineStatus(MacAddress.parse("52:54:00:aa:00:02"), MachineState.KNOWN, null, null, ""),
                new MachineStatus(MacAddress.parse("52:54:00:aa:00:0a"), MachineState.FAILED, "10.100.0.10",
                        Instant.parse("2026-11-24T22:07:10Z"), "no callback\nwithin 15 min\u001b[2J")),
                2, services, Instant.parse("2026-11-25T01:37:02Z"));
    }

    @Test
    void fieldsTheUnhealthyServicesAndATableOfNodes() {
        assertThat(AgentStatusText.render(degraded(), NOW)).isEqualTo("""
                agent:        not ready, updated 2026-11-25T01:37:02Z (8s ago)
                guest share:  invalid: machines.txt:3: mac: bad
                guest vlan:   100
                services:     1 of 3 not healthy
                  SERVICE  STATE   DETAIL
                  dhcpd    failed  dhcpd -t rejected the rendered configuration
                nodes:        5 listed: 1 known, 1 installing, 1 failed, 2 not listed
                  MAC                ADDRESS      STATE       SINCE  DETAIL
                  52:54:00:aa:00:01  10.100.0.2   installing  4m10s  installer booted (attempt 1)
                  52:54:00:aa:00:02  -            known       -      -
                  52:54:00:aa:00:0a  10.100.0.10  failed      3h30m  no callback?within 15 min?[2J
                  (2 more nodes not listed by the agent)
                """);
    }

    @Test
    void aHealthyAgentWithoutNodes() {
        AgentStatus ok = new AgentStatus(true, AgentStatus.Share.mounted(), null, List.of(), 0, Map.of("dhcpd", Health.ok("running")), null);
        assertThat(AgentStatusText.render(ok, NOW)).isEqualTo("""
                agent:        ready, updated -
                guest share:  mounted-ro
                guest vlan:   -
                services:     all 1 healthy
                nodes:        none listed
                """);
        assertThat(AgentStatusText.summary(degraded())).isEqualTo(
                "not ready, share invalid: machines.txt:3: mac: bad, nodes 5 listed: 1 known, 1 installing, 1 failed, 2 not listed");
    }

    @Test
    void agesAreShortAndNeverNegative() {
        assertThat(AgentStatusText.age(NOW, NOW)).isEqualTo("now");
        assertThat(AgentStatusText.age(NOW.plusSeconds(5), NOW)).isEqualTo("now");
        assertThat(AgentStatusText.age(NOW.minusSeconds(59), NOW)).isEqualTo("59s");
        assertThat(AgentStatusText.age(NOW.minusSeconds(61), NOW)).isEqualTo("1m01s");
        assertThat(AgentStatusText.age(NOW.minusSeconds(3 * 3600 + 300), NOW)).isEqualTo("3h05m");
        assertThat(AgentStatusText.age(NOW.minusSeconds(2 * 86400 + 4 * 3600 + 59), NOW)).isEqualTo("2d04h");
    }
}
