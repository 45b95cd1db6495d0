package io.headnode.orchestrator.cli;

import io.headnode.common.libvirt.DomainStatus;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** What list and show print about one head node (also their JSON form). */
final class HeadnodeView {
    private HeadnodeView() {
    }

    static Map<String, Object> of(HeadnodeSpec spec, Optional<DomainStatus> domain, String bridge) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vlan", spec.vlan().id());
        m.put("desired", spec.present() ? "present" : "absent");
        m.put("domain", "headnode-vlan" + spec.vlan().id());
        m.put("state", domain.map(d -> d.state().name().toLowerCase(Locale.ROOT)).orElse("undefined"));
        m.put("autostart", domain.map(DomainStatus::autostart).orElse(false));
        m.put("vlanBridge", bridge);
        m.put("publicBridge", spec.publicBridge());
        m.put("trunk", spec.trunk().orElse(null));
        m.put("memoryMib", spec.memoryMib());
        m.put("vcpus", spec.vcpus());
        m.put("image", spec.image().toString());
        m.put("kernel", spec.kernel().map(Object::toString).orElse(null));
        m.put("vlanMac", spec.vlanMac().toString());
        m.put("publicMac", spec.publicMac().toString());
        m.put("uuid", spec.uuid().toString());
        return m;
    }
}
