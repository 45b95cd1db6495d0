package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.contract.AgentStatus.Health;
import io.headnode.contract.AgentStatus.HealthState;
import io.headnode.contract.AgentStatus.MachineState;
import io.headnode.contract.AgentStatus.MachineStatus;
import io.headnode.contract.AgentStatus.Share;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentStatusTest {
    static final MacAddress A = MacAddress.parse("52:54:00:aa:00:01");
    static final Instant T = Instant.parse("2026-11-25T01:37:02Z");

    static AgentStatus sample() {
        Map<String, Health> services = new LinkedHashMap<>();
        services.put("network", Health.unmanaged());
        services.put("dhcpd", Health.ok("running"));
        services.put("tftpboot", Health.failed("/usr/lib/PXELINUX/pxelinux.0 is missing"));
        return new AgentStatus(false, Share.mounted(), new Vlan(100),
                List.of(new MachineStatus(A, MachineState.INSTALLING, "10.100.0.2", T, "installer booted (attempt 1)")), 0, services, T);
    }

    @Test
    void writesOneLineInTheDocumentedShapeAndReadsItBack() {
        AgentStatus s = sample();
        String line = s.toJson();
        assertThat(line).doesNotContain("\n").isEqualTo("{\"ready\":false,\"share\":\"mounted-ro\",\"vlan\":100,"
                + "\"machines\":[{\"mac\":\"52:54:00:aa:00:01\",\"state\":\"installing\",\"address\":\"10.100.0.2\","
                + "\"since\":\"2026-11-25T01:37:02Z\",\"detail\":\"installer booted (attempt 1)\"}],\"omittedMachines\":0,"
                + "\"services\":{\"network\":{\"state\":\"unmanaged\",\"detail\":\"not managed by the agent (agent.conf)\"},"
                + "\"dhcpd\":{\"state\":\"ok\",\"detail\":\"running\"},"
                + "\"tftpboot\":{\"state\":\"failed\",\"detail\":\"/usr/lib/PXELINUX/pxelinux.0 is missing\"}},"
                + "\"updated\":\"2026-11-25T01:37:02Z\",\"ssh\":{\"addresses\":[],\"hostKeys\":[]}}");
        assertThat(AgentStatus.parse(line)).isEqualTo(s);
        assertThat(s.toJsonTree().path("services").path("dhcpd").path("state").asText()).isEqualTo("ok");
    }

    @Test
    void sshAccessCarriesAddressesAndHostKeysWithTheirFingerprints() {
        AgentStatus.HostKey ed = AgentStatus.HostKey.of(SshPublicKey.parseLine(SshKeysFixture.pub("ed25519")));
        AgentStatus.HostKey ec = AgentStatus.HostKey.of(SshPublicKey.parseLine(SshKeysFixture.pub("ecdsa")));
        AgentStatus s = sample().withSsh(new AgentStatus.Ssh(List.of("192.0.2.10", "2001:db8::10", "fe80::5054:ff:fe00:1"), List.of(ed, ec)));
        String line = s.toJson();
        assertThat(line).contains("\"ssh\":{\"addresses\":[\"192.0.2.10\",\"2001:db8::10\",\"fe80::5054:ff:fe00:1\"],"
                + "\"hostKeys\":[{\"type\":\"ssh-ed25519\",\"key\":\"" + ed.key() + "\",\"fingerprint\":\"" + SshKeysFixture.fingerprint("ed25519") + "\"}");
        AgentStatus back = AgentStatus.parse(line);
        assertThat(back).isEqualTo(s);
        assertThat(back.ssh().connectAddress()).contains("192.0.2.10");
        assertThat(back.ssh().hostKeys().get(1).fingerprint()).isEqualTo(SshKeysFixture.fingerprint("ecdsa"));
        // an older agent's line has no ssh: none known
        assertThat(AgentStatus.parse(sample().toJson().replace(",\"ssh\":{\"addresses\":[],\"hostKeys\":[]}", "")).ssh()).isEqualTo(AgentStatus.Ssh.NONE);
    }

    @Test
    void sshAccessRefusesNamesForeignFingerprintsAndBadKeys() {
        String key = SshKeysFixture.key("ed25519").split(" ")[1];
        assertThatThrownBy(() -> new AgentStatus.Ssh(List.of("evil.example.com"), List.of())).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> new AgentStatus.Ssh(List.of("192.0.2.300"), List.of())).hasMessageContaining("is not an IP address");
        assertThatThrownBy(() -> new AgentStatus.HostKey("ssh-ed25519", key, SshKeysFixture.fingerprint("ecdsa"))).hasMessageContaining("is not the key's");
        assertThatThrownBy(() -> AgentStatus.parse(sample().withSsh(new AgentStatus.Ssh(List.of(), List.of(new AgentStatus.HostKey("ssh-ed25519", key, null))))
                .toJson().replace(key, key.substring(0, 40) + (key.charAt(40) == 'A' ? 'B' : 'A') + key.substring(41))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not the key's");
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            many.add("192.0.2." + i);
        }
        assertThat(new AgentStatus.Ssh(many, List.of()).addresses()).hasSize(AgentStatus.Ssh.MAX_ADDRESSES);
        assertThat(new AgentStatus.Ssh(List.of("fe80::1"), List.of()).connectAddress()).isEmpty();
    }

    @Test
    void beforeTheFirstShareVlanAndTimesAreNull() {
        AgentStatus s = new AgentStatus(false, Share.missing(), null,
                List.of(new MachineStatus(A, MachineState.KNOWN, null, null, null)), 0, Map.of(), null);
        String line = s.toJson();
        assertThat(line).contains("\"vlan\":null", "\"since\":null", "\"address\":null", "\"updated\":null", "\"share\":\"missing\"");
        assertThat(AgentStatus.parse(line)).isEqualTo(s);
    }

    @Test
    void shareWordsRoundTrip() {
        assertThat(Share.parse("mounted-ro")).isEqualTo(Share.mounted());
        assertThat(Share.parse("missing")).isEqualTo(Share.missing());
        Share bad = Share.parse("invalid: machines.txt:2: mac: 'x' is not a MAC address");
        assertThat(bad.state()).isEqualTo(AgentStatus.ShareState.INVALID);
        assertThat(bad.problem()).isEqualTo("machines.txt:2: mac: 'x' is not a MAC address");
        assertThat(bad.text()).isEqualTo("invalid: machines.txt:2: mac: 'x' is not a MAC address");
        assertThatThrownBy(() -> Share.parse("mounted")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void longTextIsCutAndTheMachineListIsCappedSoALineStaysBounded() {
        String huge = "x".repeat(5_000);
        assertThat(Health.failed(huge).detail()).hasSize(AgentStatus.MAX_DETAIL).endsWith("...");
        assertThat(Share.invalid(huge).problem()).hasSize(AgentStatus.MAX_PROBLEM);
        List<MachineStatus> many = new ArrayList<>();
        for (int i = 0; i < AgentStatus.MAX_MACHINES + 10; i++) {
            many.add(new MachineStatus(MacAddress.of(0x52, 0x54, 0, (i >> 16) & 255, (i >> 8) & 255, i & 255), MachineState.FAILED,
                    "10.100.255.254", T, huge));
        }
        Map<String, Health> services = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            services.put("service-" + i + huge, Health.failed(huge));
        }
        AgentStatus s = new AgentStatus(false, Share.invalid(huge), new Vlan(4094), many, 0, services, T);
        assertThat(s.machines()).hasSize(AgentStatus.MAX_MACHINES);
        assertThat(s.omittedMachines()).isEqualTo(10);
        assertThat(s.services()).hasSize(AgentStatus.MAX_SERVICES);
        byte[] line = s.toJson().getBytes(StandardCharsets.UTF_8);
        assertThat(line.length).isLessThan(AgentStatus.MAX_LINE_BYTES);
        assertThat(AgentStatus.parse(new String(line, StandardCharsets.UTF_8))).isEqualTo(s);
    }

    @Test
    void readinessCountsOkAndUnmanagedOnly() {
        assertThat(Health.ok("running").healthy()).isTrue();
        assertThat(Health.unmanaged().healthy()).isTrue();
        for (HealthState st : List.of(HealthState.PENDING, HealthState.DOWN, HealthState.FAILED)) {
            assertThat(new Health(st, "x").healthy()).as(st.word()).isFalse();
        }
    }

    @Test
    void garbageIsRejectedWithAReasonAndUnknownFieldsAreIgnored() {
        assertThatThrownBy(() -> AgentStatus.parse("{\"state\":\"ready\"}")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not a status line");
        assertThatThrownBy(() -> AgentStatus.parse("noise")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AgentStatus.parse("{\"ready\":true,\"share\":\"mounted-ro\",\"services\":{\"x\":{\"state\":\"odd\"}}}"))
                .isInstanceOf(IllegalArgumentException.class);
        AgentStatus s = AgentStatus.parse("{\"ready\":true,\"share\":\"mounted-ro\",\"future\":[1,2]}");
        assertThat(s.ready()).isTrue();
        assertThat(s.machines()).isEmpty();
        assertThat(s.services()).isEmpty();
    }
}
