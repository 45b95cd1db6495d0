package io.headnode.orchestrator;

import io.headnode.contract.Vlan;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import java.nio.file.Path;
import java.util.Optional;

/** Specs for tests: 256 MiB, one vCPU, no trunk, no kernel. */
public final class TestSpecs {
    private TestSpecs() {
    }

    /** VLAN {@code id}, public bridge br0, image /i.qcow2. */
    public static HeadnodeSpec spec(int id) {
        return spec(id, "br0", Path.of("/i.qcow2"));
    }

    public static HeadnodeSpec spec(int id, String publicBridge, Path image) {
        Vlan v = new Vlan(id);
        return new HeadnodeSpec(v, true, false, Optional.empty(), publicBridge, 256, 1, image, Optional.empty(), Optional.empty(),
                Optional.empty(), HeadnodeSpec.uuidFor(v), HeadnodeSpec.vlanMacFor(v), HeadnodeSpec.publicMacFor(v));
    }
}
