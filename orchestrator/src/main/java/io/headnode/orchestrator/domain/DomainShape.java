package io.headnode.orchestrator.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The fields of a domain that headnode cares about, normalized (units in KiB, MACs lower case, NICs in PCI-slot
 * order). libvirt rewrites the XML it is given (seclabels, addresses, aliases, defaults): drift is a difference in
 * these fields, never in the raw text.
 */
public record DomainShape(String type, String name, String uuid, long memoryKib, int vcpus, Optional<String> kernel,
                          Optional<String> initrd, Optional<String> cmdline, boolean acpi, boolean biosUseSerial,
                          List<Disk> disks, List<Nic> nics, List<Share> shares, Optional<String> consoleLog,
                          List<Channel> channels) {
    public DomainShape {
        Objects.requireNonNull(name, "name is null");
        disks = List.copyOf(disks);
        nics = List.copyOf(nics);
        shares = List.copyOf(shares);
        channels = List.copyOf(channels);
    }

    /** A disk: its file and format. */
    public record Disk(String target, String file, String format) {
    }

    /** A NIC: MAC, bridge, model, PCI slot (which fixes its order in the guest) and whether it has an option ROM. */
    public record Nic(String mac, String bridge, String model, String pciSlot, boolean rom) {
    }

    /** A 9p share. */
    public record Share(String source, String target, String accessMode, boolean readonly) {
    }

    /** A host-side unix channel. */
    public record Channel(String path, String targetName) {
    }

    /** The bridges this domain's NICs use. */
    public List<String> bridges() {
        return nics.stream().map(Nic::bridge).filter(Objects::nonNull).toList();
    }

    /** Human-readable differences, {@code field: actual -> desired}; empty when the shapes match. */
    public List<String> differencesFrom(DomainShape actual) {
        List<String> d = new ArrayList<>();
        cmp(d, "type", actual.type, type);
        cmp(d, "uuid", actual.uuid, uuid);
        cmp(d, "memory (KiB)", actual.memoryKib, memoryKib);
        cmp(d, "vcpus", actual.vcpus, vcpus);
        cmp(d, "kernel", actual.kernel, kernel);
        cmp(d, "initrd", actual.initrd, initrd);
        cmp(d, "cmdline", actual.cmdline, cmdline);
        cmp(d, "acpi", actual.acpi, acpi);
        cmp(d, "bios useserial", actual.biosUseSerial, biosUseSerial);
        cmp(d, "disks", actual.disks, disks);
        cmp(d, "nics", actual.nics, nics);
        cmp(d, "shares", actual.shares, shares);
        cmp(d, "console log", actual.consoleLog, consoleLog);
        cmp(d, "channels", actual.channels, channels);
        return d;
    }

    private static void cmp(List<String> out, String field, Object actual, Object desired) {
        if (!Objects.equals(actual, desired)) {
            out.add(field + ": " + actual + " -> " + desired);
        }
    }
}
