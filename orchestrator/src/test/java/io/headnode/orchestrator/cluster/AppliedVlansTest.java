package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppliedVlansTest {
    static final Vlan V10 = new Vlan(10);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void onlyTheSameBytesAsLastAppliedAreUnchanged() {
        AppliedVlans a = new AppliedVlans();
        assertThat(a.unchanged(V10, b("spec"), Map.of())).isFalse(); // never applied
        a.record(V10, b("spec"), Map.of("install.key", b("k1")));
        assertThat(a.unchanged(V10, b("spec"), Map.of("install.key", b("k1")))).isTrue();
        assertThat(a.unchanged(V10, b("spec2"), Map.of("install.key", b("k1")))).isFalse();
        assertThat(a.unchanged(V10, b("spec"), Map.of("install.key", b("k2")))).isFalse();
        assertThat(a.unchanged(V10, b("spec"), Map.of("install.key", b("k1"), "machines.txt", b("m")))).isFalse();
        assertThat(a.unchanged(V10, b("spec"), Map.of())).isFalse();
    }

    @Test
    void recordedBytesAreACopyAndClearOrRetainForgets() {
        AppliedVlans a = new AppliedVlans();
        byte[] spec = b("spec");
        a.record(V10, spec, Map.of());
        spec[0] = 'X';
        assertThat(a.unchanged(V10, b("spec"), Map.of())).isTrue();
        a.retain(Set.of(new Vlan(11)));
        assertThat(a.unchanged(V10, b("spec"), Map.of())).isFalse();
        a.record(V10, b("spec"), Map.of());
        a.clear(); // the periodic pass: everything is applied again
        assertThat(a.unchanged(V10, b("spec"), Map.of())).isFalse();
    }
}
