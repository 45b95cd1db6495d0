package io.headnode.orchestrator.lab;

import io.headnode.common.exec.CommandResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.UUID;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

/**
 * The lab's "bare-metal" nodes: domains on the lab libvirtd, one NIC on the VLAN bridge, a blank disk, network
 * boot first. Defined here, never started here: the head node's agent powers them on through its libvirt driver.
 */
final class LabNodes {
    static final String TEMPLATE = "io/headnode/templates/lab-node-domain.xml.vm";
    static final int MEMORY_MIB = 256;
    private static final String DISK_SIZE = "64M";
    private final LabSettings settings;
    private final VelocityEngine velocity;

    LabNodes(LabSettings settings) {
        this.settings = settings;
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
        c.put("memoryMib", MEMORY_MIB);
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
    void define(String vlanBridge) {
        try {
            Files.createDirectories(settings.nodesDir());
            for (int i = 1; i <= settings.nodes(); i++) {
                if (!Files.exists(settings.nodeDisk(i))) {
                    Exec.check("qemu-img", "create", "-q", "-f", "qcow2", settings.nodeDisk(i).toString(), DISK_SIZE);
                }
                Path xml = settings.nodesDir().resolve("node" + i + ".xml");
                Files.writeString(xml, render(i, vlanBridge), StandardCharsets.UTF_8);
                Exec.check("virsh", "-c", settings.localUri(), "define", xml.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare lab nodes in " + settings.nodesDir(), e);
        }
    }

    /** Destroys and undefines every lab node that exists; returns the names removed. */
    List<String> remove() {
        List<String> removed = new java.util.ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            String name = settings.nodeName(i);
            if (Exec.run(List.of("virsh", "-c", settings.localUri(), "dominfo", name)).ok()) {
                Exec.run(List.of("virsh", "-c", settings.localUri(), "destroy", name));
                Exec.run(List.of("virsh", "-c", settings.localUri(), "undefine", name)).orThrow();
                removed.add(name);
            }
        }
        return removed;
    }

    /** {@code virsh domstate}, or "absent". */
    String state(int i) {
        CommandResult r = Exec.run(List.of("virsh", "-c", settings.localUri(), "domstate", settings.nodeName(i)));
        return r.ok() ? r.stdout().strip() : "absent";
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
