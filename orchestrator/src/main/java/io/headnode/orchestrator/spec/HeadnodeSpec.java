package io.headnode.orchestrator.spec;

import io.headnode.common.kv.FieldException;
import io.headnode.common.kv.KvFile;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Vlan;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The desired state of one VLAN's head node, as the admin asked for it. Stored on the host outside the share
 * ({@code <state-dir>/specs/<vlan>.spec}). {@code present=false} marks a head node to be deleted; the spec file
 * goes away once the delete has converged.
 */
public record HeadnodeSpec(Vlan vlan, boolean present, boolean purge, Optional<String> trunk, String publicBridge,
                           int memoryMib, int vcpus, Path image, Optional<Path> kernel, Optional<Path> initrd,
                           Optional<String> cmdline, UUID uuid, MacAddress vlanMac, MacAddress publicMac) {
    private static final Pattern IFNAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,14}");
    /** The kernel command line when a kernel is given without one: a whole-disk root on the virtio disk. */
    public static final String DEFAULT_CMDLINE = "root=/dev/vda rw console=ttyS0";

    public HeadnodeSpec {
        Objects.requireNonNull(vlan, "vlan is null");
        Objects.requireNonNull(trunk, "trunk is null");
        Objects.requireNonNull(image, "image is null");
        Objects.requireNonNull(kernel, "kernel is null");
        Objects.requireNonNull(initrd, "initrd is null");
        Objects.requireNonNull(cmdline, "cmdline is null");
        Objects.requireNonNull(uuid, "uuid is null");
        Objects.requireNonNull(vlanMac, "vlanMac is null");
        Objects.requireNonNull(publicMac, "publicMac is null");
        trunk.ifPresent(t -> {
            if (!IFNAME.matcher(t).matches()) {
                throw new FieldException("trunk", "'" + t + "' is not an interface name");
            }
            if ((t + "." + vlan).length() > 15) {
                throw new FieldException("trunk", "'" + t + "': the VLAN link name " + t + "." + vlan + " is longer than 15 characters");
            }
        });
        if (publicBridge == null || !IFNAME.matcher(publicBridge).matches()) {
            throw new FieldException("public-bridge", "'" + publicBridge + "' is not an interface name");
        }
        if (memoryMib < 64 || memoryMib > 1 << 20) {
            throw new FieldException("memory-mib", memoryMib + " MiB is outside 64..1048576");
        }
        if (vcpus < 1 || vcpus > 64) {
            throw new FieldException("vcpus", vcpus + " is outside 1..64");
        }
        if (!image.isAbsolute()) {
            throw new FieldException("image", image + " is not an absolute path");
        }
        if (initrd.isPresent() && kernel.isEmpty()) {
            throw new FieldException("initrd", "given without kernel");
        }
        if (cmdline.isPresent() && kernel.isEmpty()) {
            throw new FieldException("cmdline", "given without kernel");
        }
        if (cmdline.isPresent() && (cmdline.get().contains("\n") || cmdline.get().length() > 1024)) {
            throw new FieldException("cmdline", "must be one line of at most 1024 characters");
        }
        // stored as a spec file: values must read back as they are (no line break, no " #" that starts a comment)
        KvFile.line("image", image.toString());
        kernel.ifPresent(k -> KvFile.line("kernel", k.toString()));
        initrd.ifPresent(i -> KvFile.line("initrd", i.toString()));
        cmdline.ifPresent(c -> KvFile.line("cmdline", c));
        if (vlanMac.equals(publicMac)) {
            throw new FieldException("public-mac", "is the same as vlan-mac");
        }
    }

    /** eth0's MAC for a VLAN: locally administered 02:48:4e ("HN"), NIC index 0, then the VLAN id. */
    public static MacAddress vlanMacFor(Vlan vlan) {
        return MacAddress.of(0x02, 0x48, 0x4e, 0x00, vlan.id() >> 8, vlan.id() & 0xff);
    }

    /** eth1's MAC for a VLAN: as {@link #vlanMacFor} with NIC index 1. */
    public static MacAddress publicMacFor(Vlan vlan) {
        return MacAddress.of(0x02, 0x48, 0x4e, 0x01, vlan.id() >> 8, vlan.id() & 0xff);
    }

    /** The pinned uuid of a VLAN's domain (name-based, so a re-created spec gets the same one). */
    public static UUID uuidFor(Vlan vlan) {
        return UUID.nameUUIDFromBytes(("io.headnode/headnode-vlan" + vlan.id()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The kernel command line used when a kernel is set. */
    public String effectiveCmdline() {
        return cmdline.orElse(DEFAULT_CMDLINE);
    }

    public HeadnodeSpec markedAbsent(boolean purgeShare) {
        return new HeadnodeSpec(vlan, false, purgeShare, trunk, publicBridge, memoryMib, vcpus, image, kernel, initrd,
                cmdline, uuid, vlanMac, publicMac);
    }
}
