package io.headnode.lab;

import io.headnode.common.exec.CommandRunner;
import io.headnode.common.libvirt.DomainStatus;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.RunState;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

/**
 * The lab's "bare-metal" nodes: domains on the lab libvirtd (through the {@link Hypervisor} wrapper), one NIC on
 * the VLAN bridge, a blank disk, network boot first. Defined here, never started here: the head node's agent
 * powers them on through their BMCs.
 */
final class LabNodes {
    static final String TEMPLATE = "io/headnode/lab/lab-node-domain.xml.vm";
    static final int MEMORY_MIB = 256;
    /** OVMF, shim and GRUB want more than SeaBIOS and pxelinux. */
    static final int UEFI_MEMORY_MIB = 512;
    private static final String DISK_SIZE = "64M";
    private final LabSettings settings;
    private final CommandRunner runner;
    private final VelocityEngine velocity;

    LabNodes(LabSettings settings, CommandRunner runner) {
        this.settings = Objects.requireNonNull(settings, "settings is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
        Properties p = new Properties();
        p.setProperty("resource.loaders", "class");
        p.setProperty("resource.loader.class.class", "org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader");
        p.setProperty("runtime.strict_mode.enable", "true");
        this.velocity = new VelocityEngine(p);
        this.velocity.init();
    }

    String render(int i, String vlanBridge) {
        VelocityContext c = new VelocityContext();
        c.put("name", settings.nodeName(i));
        c.put("uuid", UUID.nameUUIDFromBytes(("headnode-lab:" + settings.nodeName(i)).getBytes(StandardCharsets.UTF_8)).toString());
        LabFirmware firmware = settings.nodeFirmware(i);
        c.put("memoryMib", firmware.uefi() ? UEFI_MEMORY_MIB : MEMORY_MIB);
        c.put("firmware", firmware);
        c.put("pxeOff", LabFirmware.PXE_OFF);
        c.put("vars", settings.nodeVars(i).toString());
        c.put("mac", settings.nodeMac(i));
        c.put("vlanBridge", vlanBridge);
        c.put("disk", settings.nodeDisk(i).toString());
        c.put("consoleLog", settings.nodeConsole(i).toString());
        Template t = velocity.getTemplate(TEMPLATE, "UTF-8");
        StringWriter w = new StringWriter();
        t.merge(c, w);
        return w.toString();
    }

    /** Creates each node's blank disk (if missing) and defines its domain (idempotent: same name, same uuid). */
    void define(Hypervisor libvirt, String vlanBridge) {
        try {
            Files.createDirectories(settings.nodesDir());
            for (int i = 1; i <= settings.nodes(); i++) {
                Path disk = settings.nodeDisk(i);
                if (!Files.exists(disk)) {
                    runner.check(List.of("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), DISK_SIZE));
                }
                Files.deleteIfExists(settings.nodeVars(i));   // a fresh variable store, as a new machine has
                libvirt.define(render(i, vlanBridge));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare lab nodes in " + settings.nodesDir(), e);
        }
    }

    /** Destroys and undefines every lab node that exists (any count a lab had); returns the names removed. */
    List<String> remove(Hypervisor libvirt) {
        List<String> removed = new ArrayList<>();
        for (int i = 1; i <= LabSettings.MAX_NODES; i++) {
            String name = settings.nodeName(i);
            if (libvirt.lookup(name).isPresent()) {
                libvirt.destroy(name);
                // libvirt refuses to undefine a domain whose variable store exists unless told what to do with it
                try {
                    Files.deleteIfExists(settings.nodeVars(i));
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot remove " + settings.nodeVars(i), e);
                }
                libvirt.undefine(name);
                removed.add(name);
            }
        }
        return removed;
    }

    /** libvirt's state of node {@code i}; empty when it is not defined. */
    Optional<RunState> state(Hypervisor libvirt, int i) {
        return libvirt.lookup(settings.nodeName(i)).map(DomainStatus::state);
    }

    NodeProgress progress(int i) {
        return NodeProgress.of(console(settings.nodeConsole(i)));
    }

    static String console(Path log) {
        try {
            return Files.exists(log) ? new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }
}
