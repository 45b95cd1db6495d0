package io.headnode.orchestrator.domain;

import io.headnode.common.xml.SecureXml;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/** Parses libvirt domain XML (ours or libvirt's rewrite of it) into a {@link DomainShape}. */
public final class DomainXml {
    private DomainXml() {
    }

    public static DomainShape parse(String xml) {
        Element root = document(xml).getDocumentElement();
        if (!root.getTagName().equals("domain")) {
            throw new IllegalArgumentException("not a domain XML: root element is " + root.getTagName());
        }
        Element os = child(root, "os");
        Element devices = child(root, "devices");
        Element features = child(root, "features");
        List<DomainShape.Disk> disks = new ArrayList<>();
        List<DomainShape.Nic> nics = new ArrayList<>();
        List<DomainShape.Share> shares = new ArrayList<>();
        List<DomainShape.Channel> channels = new ArrayList<>();
        Optional<String> consoleLog = Optional.empty();
        if (devices != null) {
            for (Element disk : children(devices, "disk")) {
                if (!"disk".equals(attr(disk, "device", "disk"))) {
                    continue;
                }
                disks.add(new DomainShape.Disk(attr(child(disk, "target"), "dev", null), attr(child(disk, "source"), "file", null),
                        attr(child(disk, "driver"), "type", null)));
            }
            for (Element nic : children(devices, "interface")) {
                nics.add(new DomainShape.Nic(lower(attr(child(nic, "mac"), "address", null)), attr(child(nic, "source"), "bridge", null),
                        attr(child(nic, "model"), "type", null), slot(child(nic, "address")), !"no".equals(attr(child(nic, "rom"), "enabled", "yes"))));
            }
            nics.sort(Comparator.comparing(n -> n.pciSlot() == null ? "~" : n.pciSlot()));
            for (Element fs : children(devices, "filesystem")) {
                shares.add(new DomainShape.Share(attr(child(fs, "source"), "dir", null), attr(child(fs, "target"), "dir", null),
                        attr(fs, "accessmode", "passthrough"), child(fs, "readonly") != null));
            }
            for (Element serial : children(devices, "serial")) {
                Element logEl = child(serial, "log");
                if (logEl != null && consoleLog.isEmpty()) {
                    consoleLog = Optional.ofNullable(attr(logEl, "file", null));
                }
            }
            for (Element ch : children(devices, "channel")) {
                if ("unix".equals(ch.getAttribute("type"))) {
                    channels.add(new DomainShape.Channel(attr(child(ch, "source"), "path", null), attr(child(ch, "target"), "name", null)));
                }
            }
        }
        Element bios = os == null ? null : child(os, "bios");
        return new DomainShape(root.getAttribute("type"), text(child(root, "name")).orElse(""),
                text(child(root, "uuid")).map(DomainXml::lower).orElse(null), memoryKib(child(root, "memory")),
                text(child(root, "vcpu")).map(v -> Integer.parseInt(v.trim())).orElse(1),
                os == null ? Optional.empty() : text(child(os, "kernel")),
                os == null ? Optional.empty() : text(child(os, "initrd")),
                os == null ? Optional.empty() : text(child(os, "cmdline")),
                features != null && child(features, "acpi") != null,
                bios != null && "yes".equals(bios.getAttribute("useserial")),
                disks, nics, shares, consoleLog, channels);
    }

    private static Document document(String xml) {
        try {
            return SecureXml.parse(xml, false);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot parse domain XML: " + e.getMessage(), e);
        }
    }

    private static long memoryKib(Element memory) {
        if (memory == null) {
            return 0;
        }
        long v = Long.parseLong(memory.getTextContent().trim());
        String unit = attr(memory, "unit", "KiB");
        return switch (unit) {
            case "b", "bytes" -> v / 1024;
            case "KB" -> v * 1000 / 1024;
            case "k", "KiB" -> v;
            case "MB" -> v * 1000 * 1000 / 1024;
            case "M", "MiB" -> v * 1024;
            case "GB" -> v * 1000 * 1000 * 1000 / 1024;
            case "G", "GiB" -> v * 1024 * 1024;
            default -> throw new IllegalArgumentException("unknown memory unit " + unit);
        };
    }

    private static String slot(Element address) {
        if (address == null || !"pci".equals(address.getAttribute("type"))) {
            return null;
        }
        return String.format(Locale.ROOT, "%02x:%02x.%x", Integer.decode(attr(address, "bus", "0")),
                Integer.decode(attr(address, "slot", "0")), Integer.decode(attr(address, "function", "0")));
    }

    private static String lower(String s) {
        return s == null ? null : s.toLowerCase(Locale.ROOT);
    }

    private static String attr(Element e, String name, String dflt) {
        if (e == null || !e.hasAttribute(name)) {
            return dflt;
        }
        return e.getAttribute(name);
    }

    private static Optional<String> text(Element e) {
        return e == null ? Optional.empty() : Optional.of(e.getTextContent().trim());
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList nl = parent.getChildNodes();
        for (int i = 0; i < nl.getLength(); i++) {
            Node n = nl.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }
}
