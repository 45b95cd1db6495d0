package io.headnode.common.iproute;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.common.exec.CommandException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Parses iproute2's JSON output ({@code ip -json}, iproute2 4.13 and later) with Jackson. Pure: unit-tested on recorded output. */
public final class IpJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private IpJson() {
    }

    /** {@code ip -details -json link show}: every link by name, in the kernel's order. */
    public static Map<String, Link> links(String json) {
        Map<String, Link> out = new LinkedHashMap<>();
        for (JsonNode n : array(json, "link show")) {
            String name = n.path("ifname").asText("");
            JsonNode info = n.path("linkinfo");
            String kind = info.path("info_kind").asText("");
            Optional<Integer> vlanId = kind.equals("vlan") && info.path("info_data").has("id")
                    ? Optional.of(info.path("info_data").path("id").asInt()) : Optional.empty();
            out.put(name, new Link(name, kind, isUp(n), text(n, "master"), vlanId, text(n, "link"), text(n, "address")));
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@code ip -json addr show}: every interface's state and addresses by name, in the kernel's order. */
    public static Map<String, InterfaceAddresses> addresses(String json) {
        Map<String, InterfaceAddresses> out = new LinkedHashMap<>();
        for (JsonNode n : array(json, "addr show")) {
            String name = n.path("ifname").asText("");
            List<Address> addresses = new ArrayList<>();
            for (JsonNode a : n.path("addr_info")) {
                if (!a.hasNonNull("local") || !a.has("prefixlen")) {
                    continue; // iproute2 prints an empty object for an address it cannot describe
                }
                addresses.add(new Address(a.path("family").asText(""), a.get("local").asText(), a.get("prefixlen").asInt(),
                        a.path("scope").asText(""), text(a, "label")));
            }
            out.put(name, new InterfaceAddresses(name, isUp(n), addresses));
        }
        return Collections.unmodifiableMap(out);
    }

    /** {@code ip -json neigh show dev DEV}: the device's neighbour entries, in the kernel's order. */
    public static List<Neighbour> neighbours(String json) {
        List<Neighbour> out = new ArrayList<>();
        for (JsonNode n : parse(json, "neigh show")) {
            if (!n.hasNonNull("dst")) {
                throw new CommandException("ip -json neigh show printed an entry without dst: " + n);
            }
            List<String> states = new ArrayList<>();
            n.path("state").forEach(s -> states.add(s.asText()));
            out.add(new Neighbour(n.get("dst").asText(), text(n, "lladdr"), states));
        }
        return List.copyOf(out);
    }

    private static JsonNode array(String json, String what) {
        JsonNode root = parse(json, what);
        for (JsonNode n : root) {
            if (n.path("ifname").asText("").isEmpty()) {
                throw new CommandException("ip -json " + what + " printed an interface without ifname: " + n);
            }
        }
        return root;
    }

    private static JsonNode parse(String json, String what) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw new CommandException("cannot parse the output of ip -json " + what + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || root.isMissingNode()) {
            throw new CommandException("ip -json " + what + " printed nothing");
        }
        if (!root.isArray()) {
            throw new CommandException("ip -json " + what + " printed " + root.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not an array");
        }
        return root;
    }

    private static boolean isUp(JsonNode n) {
        for (JsonNode f : n.path("flags")) {
            if (f.asText().equals("UP")) {
                return true;
            }
        }
        return false;
    }

    private static Optional<String> text(JsonNode n, String field) {
        return n.hasNonNull(field) ? Optional.of(n.get(field).asText()) : Optional.empty();
    }
}
