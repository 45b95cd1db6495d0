package io.headnode.orchestrator.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.Vlan;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PlacementConfirmationsTest {
    static final HostId HV1 = new HostId("hv1");
    static final HostId HV2 = new HostId("hv2");
    static final Vlan V = new Vlan(100);

    /** ZooKeeper as a map, counting syncs and direct reads (round trips). */
    final Map<Vlan, Placement> zk = new HashMap<>();
    int syncs;
    int reads;
    final PlacementConfirmations.Source source = new PlacementConfirmations.Source() {
        @Override
        public void sync() {
            syncs++;
        }

        @Override
        public Map<Vlan, Optional<Placement>> read(java.util.Set<Vlan> vlans) {
            reads++;
            Map<Vlan, Optional<Placement>> out = new HashMap<>();
            vlans.forEach(v -> out.put(v, Optional.ofNullable(zk.get(v))));
            return out;
        }
    };
    final PlacementConfirmations c = new PlacementConfirmations(HV1);

    @Test
    void aPlacementIsConfirmedOnceAndThenTrustedWhileItsEpochHolds() throws Exception {
        zk.put(V, new Placement(HV1, 1));
        assertThat(c.confirm(Map.of(V, new Placement(HV1, 1)), source)).containsExactly(Map.entry(V, 1L));
        assertThat(c.confirm(Map.of(V, new Placement(HV1, 1)), source)).containsExactly(Map.entry(V, 1L));
        assertThat(syncs).isEqualTo(1);
        assertThat(reads).isEqualTo(1);
    }

    @Test
    void aStaleCacheAfterAReconnectStartsAndKeepsNothing() throws Exception {
        zk.put(V, new Placement(HV1, 1));
        c.confirm(Map.of(V, new Placement(HV1, 1)), source);
        // partitioned: the leader moved the VLAN to hv2 with epoch 2; hv1 reconnects with its cache still at epoch 1
        zk.put(V, new Placement(HV2, 2));
        c.forgetAll();
        assertThat(c.confirm(Map.of(V, new Placement(HV1, 1)), source)).isEmpty();
        assertThat(c.confirmed()).isEmpty();
    }

    @Test
    void aChangedEpochIsReadAgainAndTheFreshEpochWins() throws Exception {
        zk.put(V, new Placement(HV1, 1));
        c.confirm(Map.of(V, new Placement(HV1, 1)), source);
        zk.put(V, new Placement(HV1, 3)); // moved away and back while this host missed it
        assertThat(c.confirm(Map.of(V, new Placement(HV1, 3)), source)).containsExactly(Map.entry(V, 3L));
        assertThat(reads).isEqualTo(2);
        // whatever the cache says, the direct read decides
        zk.put(V, new Placement(HV2, 4));
        assertThat(c.confirm(Map.of(V, new Placement(HV1, 5)), source)).isEmpty();
    }

    @Test
    void placementsOfOtherHostsAreNotRead() throws Exception {
        assertThat(c.confirm(Map.of(V, new Placement(HV2, 1)), source)).isEmpty();
        assertThat(syncs).isZero();
        assertThat(reads).isZero();
    }

    @Test
    void everyVlanToConfirmIsReadInOneRoundTrip() throws Exception {
        Map<Vlan, Placement> cached = new HashMap<>();
        for (int v = 1; v <= 100; v++) {
            zk.put(new Vlan(v), new Placement(v == 7 ? HV2 : HV1, 1));
            cached.put(new Vlan(v), new Placement(HV1, 1));
        }
        assertThat(c.confirm(cached, source)).hasSize(99).doesNotContainKey(new Vlan(7));
        assertThat(syncs).isEqualTo(1);
        assertThat(reads).isEqualTo(1);
    }
}
