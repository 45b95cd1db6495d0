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

    /** ZooKeeper as a map, counting syncs and direct reads. */
    final Map<Vlan, Placement> zk = new HashMap<>();
    int syncs;
    int reads;
    final PlacementConfirmations.Source source = new PlacementConfirmations.Source() {
        @Override
        public void sync() {
            syncs++;
        }

        @Override
        public Optional<Placement> read(Vlan vlan) {
            reads++;
            return Optional.ofNullable(zk.get(vlan));
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
}
