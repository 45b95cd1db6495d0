package io.headnode.orchestrator.spec;

import io.headnode.contract.MacAddress;
import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/** The text form of a {@link HeadnodeSpec}: {@code key = value} lines. Errors name file, line and key. */
public final class SpecCodec {
    static final Set<String> KEYS = Set.of("vlan", "state", "purge", "trunk", "public-bridge", "memory-mib", "vcpus",
            "image", "kernel", "initrd", "cmdline", "uuid", "vlan-mac", "public-mac");
    private static final Set<String> REQUIRED = Set.of("vlan", "state", "public-bridge", "memory-mib", "vcpus", "image",
            "uuid", "vlan-mac", "public-mac");

    private SpecCodec() {
    }

    public static byte[] render(HeadnodeSpec s) {
        StringBuilder b = new StringBuilder("# desired head node, written by headnode; edit with headnode create/delete\n");
        line(b, "vlan", s.vlan().toString());
        line(b, "state", s.present() ? "present" : "absent");
        if (s.purge()) {
            line(b, "purge", "true");
        }
        s.trunk().ifPresent(t -> line(b, "trunk", t));
        line(b, "public-bridge", s.publicBridge());
        line(b, "memory-mib", Integer.toString(s.memoryMib()));
        line(b, "vcpus", Integer.toString(s.vcpus()));
        line(b, "image", s.image().toString());
        s.kernel().ifPresent(k -> line(b, "kernel", k.toString()));
        s.initrd().ifPresent(k -> line(b, "initrd", k.toString()));
        s.cmdline().ifPresent(c -> line(b, "cmdline", c));
        line(b, "uuid", s.uuid().toString());
        line(b, "vlan-mac", s.vlanMac().toString());
        line(b, "public-mac", s.publicMac().toString());
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void line(StringBuilder b, String key, String value) {
        b.append(key).append(" = ").append(value).append('\n');
    }

    public static HeadnodeSpec parse(String file, byte[] content) throws SpecFormatException {
        String text = new String(content, StandardCharsets.UTF_8);
        if (text.indexOf('\0') >= 0 || text.contains("\uFFFD")) {
            throw new SpecFormatException(file, 0, "content", "not UTF-8 text");
        }
        Map<String, String> v = new LinkedHashMap<>();
        Map<String, Integer> lineOf = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new SpecFormatException(file, i + 1, "line", "expected 'key = value'");
            }
            String key = l.substring(0, eq).strip();
            if (!KEYS.contains(key)) {
                throw new SpecFormatException(file, i + 1, key, "unknown key (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
            }
            if (v.put(key, l.substring(eq + 1).strip()) != null) {
                throw new SpecFormatException(file, i + 1, key, "given twice");
            }
            lineOf.put(key, i + 1);
        }
        for (String k : REQUIRED) {
            if (!v.containsKey(k)) {
                throw new SpecFormatException(file, 0, k, "missing");
            }
        }
        String state = v.get("state");
        if (!state.equals("present") && !state.equals("absent")) {
            throw new SpecFormatException(file, lineOf.get("state"), "state", "'" + state + "' must be present or absent");
        }
        String current = null;
        try {
            current = "vlan";
            Vlan vlan = Vlan.parse(v.get("vlan"));
            current = "memory-mib";
            int memory = Integer.parseInt(v.get("memory-mib"));
            current = "vcpus";
            int vcpus = Integer.parseInt(v.get("vcpus"));
            current = "uuid";
            UUID uuid = UUID.fromString(v.get("uuid"));
            current = "vlan-mac";
            MacAddress vlanMac = MacAddress.parse(v.get("vlan-mac"));
            current = "public-mac";
            MacAddress publicMac = MacAddress.parse(v.get("public-mac"));
            current = "purge";
            boolean purge = Boolean.parseBoolean(v.getOrDefault("purge", "false"));
            current = "spec";
            return new HeadnodeSpec(vlan, state.equals("present"), purge, Optional.ofNullable(v.get("trunk")),
                    v.get("public-bridge"), memory, vcpus, Path.of(v.get("image")),
                    Optional.ofNullable(v.get("kernel")).map(Path::of), Optional.ofNullable(v.get("initrd")).map(Path::of),
                    Optional.ofNullable(v.get("cmdline")), uuid, vlanMac, publicMac);
        } catch (IllegalArgumentException e) {
            Integer line = lineOf.get(current);
            throw new SpecFormatException(file, line == null ? 0 : line, current, e.getMessage());
        }
    }
}
