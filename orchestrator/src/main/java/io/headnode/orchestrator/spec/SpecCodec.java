package io.headnode.orchestrator.spec;

import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvFile;
import io.headnode.common.kv.KvValues;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Vlan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The text form of a {@link HeadnodeSpec}: {@code key = value} lines, read with the common parser ({@link KvFile}).
 * Errors name file, line and key.
 */
public final class SpecCodec {
    static final Set<String> KEYS = Set.of("vlan", "state", "purge", "trunk", "public-bridge", "memory-mib", "vcpus",
            "image", "kernel", "initrd", "cmdline", "uuid", "vlan-mac", "public-mac");

    private SpecCodec() {
    }

    /** The spec's text; refuses (FieldException) a value that would not read back, e.g. a cmdline with " #". */
    public static byte[] render(HeadnodeSpec s) {
        StringBuilder b = new StringBuilder("# desired head node, written by headnode; edit with headnode create/delete\n");
        b.append(KvFile.line("vlan", s.vlan().toString()));
        b.append(KvFile.line("state", s.present() ? "present" : "absent"));
        if (s.purge()) {
            b.append(KvFile.line("purge", "true"));
        }
        s.trunk().ifPresent(t -> b.append(KvFile.line("trunk", t)));
        b.append(KvFile.line("public-bridge", s.publicBridge()));
        b.append(KvFile.line("memory-mib", Integer.toString(s.memoryMib())));
        b.append(KvFile.line("vcpus", Integer.toString(s.vcpus())));
        b.append(KvFile.line("image", s.image().toString()));
        s.kernel().ifPresent(k -> b.append(KvFile.line("kernel", k.toString())));
        s.initrd().ifPresent(k -> b.append(KvFile.line("initrd", k.toString())));
        s.cmdline().ifPresent(c -> b.append(KvFile.line("cmdline", c)));
        b.append(KvFile.line("uuid", s.uuid().toString()));
        b.append(KvFile.line("vlan-mac", s.vlanMac().toString()));
        b.append(KvFile.line("public-mac", s.publicMac().toString()));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    public static HeadnodeSpec parse(String file, byte[] content) throws KvException {
        KvFile f = KvFile.parse(file, content).requireKnown(KEYS);
        Vlan vlan = f.required("vlan", Vlan::parse);
        boolean present = f.required("state", SpecCodec::state);
        boolean purge = f.get("purge", KvValues::bool, false);
        Optional<String> trunk = f.text("trunk");
        String publicBridge = f.required("public-bridge", v -> v);
        int memory = f.required("memory-mib", KvValues::wholeNumber);
        int vcpus = f.required("vcpus", KvValues::wholeNumber);
        Path image = f.required("image", KvValues::path);
        Optional<Path> kernel = f.optional("kernel", KvValues::path);
        Optional<Path> initrd = f.optional("initrd", KvValues::path);
        Optional<String> cmdline = f.text("cmdline");
        UUID uuid = f.required("uuid", UUID::fromString);
        MacAddress vlanMac = f.required("vlan-mac", MacAddress::parse);
        MacAddress publicMac = f.required("public-mac", MacAddress::parse);
        return f.build(() -> new HeadnodeSpec(vlan, present, purge, trunk, publicBridge, memory, vcpus, image, kernel, initrd,
                cmdline, uuid, vlanMac, publicMac));
    }

    private static boolean state(String v) {
        return switch (v) {
            case "present" -> true;
            case "absent" -> false;
            default -> throw new IllegalArgumentException(KvValues.quote(v) + " must be present or absent");
        };
    }
}
