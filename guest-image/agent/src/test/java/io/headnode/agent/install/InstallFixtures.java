package io.headnode.agent.install;

import io.headnode.agent.share.ShareSnapshot;
import io.headnode.contract.HeadnodeConfig;
import io.headnode.contract.InstallKey;
import io.headnode.contract.InstallRequest;
import io.headnode.contract.MacAddress;
import io.headnode.contract.MachineList;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/** A VLAN 5 share with two machines A and B (fixed addresses ADDR_A, ADDR_B), 2 attempts and a 30 min deadline. */
public final class InstallFixtures {
    public static final MacAddress A = MacAddress.parse("52:54:00:00:00:0a");
    public static final MacAddress B = MacAddress.parse("52:54:00:00:00:0b");
    static final MacAddress STRANGER = MacAddress.parse("52:54:00:00:00:ff");
    static final String ADDR_A = "10.0.5.2";
    static final String ADDR_B = "10.0.5.3";

    private InstallFixtures() {
    }

    public static ShareSnapshot snapshot(MacAddress... macs) {
        try {
            HeadnodeConfig hc = HeadnodeConfig.parse("headnode.conf",
                    "vlan = 5\nprivate-address = 10.0.5.1/24\ninstall-attempts = 2\ninstall-deadline = 30\n".getBytes(StandardCharsets.UTF_8));
            StringBuilder ml = new StringBuilder();
            for (MacAddress m : macs) {
                ml.append(m).append(" 10.1.0.").append(m.equals(A) ? 10 : 11).append('\n');
            }
            return new ShareSnapshot(hc, MachineList.parse("machines.txt", ml.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The same share with the VLAN's install.key. */
    public static ShareSnapshot snapshot(InstallKey key, MacAddress... macs) {
        ShareSnapshot s = snapshot(macs);
        return new ShareSnapshot(s.config(), s.machines(), s.authorizedKeys(), Optional.of(key));
    }

    static InstallSite site() {
        return new InstallSite(snapshot(A, B), Map.of(A, ADDR_A, B, ADDR_B));
    }

    static InstallRequest req(String id, MacAddress... macs) {
        return new InstallRequest(id, false, List.of(macs));
    }

    /** Well-formed, distinct, predictable tokens. */
    static Supplier<String> tokens() {
        AtomicInteger n = new AtomicInteger();
        return () -> String.format("%043d", n.incrementAndGet());
    }
}
