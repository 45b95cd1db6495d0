package io.headnode.orchestrator.net;

import java.util.List;

/** The iproute2 argument arrays headnode runs; kept apart so tests can check them without a kernel. */
public final class IpCommands {
    private IpCommands() {
    }

    public static List<String> showAll() {
        return List.of("ip", "-d", "-j", "link", "show");
    }

    public static List<String> addBridge(String bridge) {
        return List.of("ip", "link", "add", "name", bridge, "type", "bridge");
    }

    public static List<String> addVlanLink(String trunk, String link, int vlanId) {
        return List.of("ip", "link", "add", "link", trunk, "name", link, "type", "vlan", "id", Integer.toString(vlanId));
    }

    public static List<String> setMaster(String link, String bridge) {
        return List.of("ip", "link", "set", "dev", link, "master", bridge);
    }

    public static List<String> up(String link) {
        return List.of("ip", "link", "set", "dev", link, "up");
    }

    public static List<String> delete(String link) {
        return List.of("ip", "link", "delete", "dev", link);
    }
}
