package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import java.util.Set;
import org.junit.jupiter.api.Test;

class AppliedVlansTest {
    static final Vlan V10 = new Vlan(10);

    @Test
    void onlyTheVersionLastAppliedIsUnchanged() {
        AppliedVlans a = new AppliedVlans();
        assertThat(a.unchanged(V10, 1)).isFalse(); // never applied
        a.record(V10, 7);
        assertThat(a.unchanged(V10, 7)).isTrue();
        assertThat(a.unchanged(V10, 8)).isFalse();
        assertThat(a.unchanged(new Vlan(11), 7)).isFalse();
    }

    @Test
    void clearOrRetainForgets() {
        AppliedVlans a = new AppliedVlans();
        a.record(V10, 7);
        a.retain(Set.of(new Vlan(11)));
        assertThat(a.unchanged(V10, 7)).isFalse();
        a.record(V10, 7);
        a.clear(); // the periodic pass: everything is applied again
        assertThat(a.unchanged(V10, 7)).isFalse();
    }
}
