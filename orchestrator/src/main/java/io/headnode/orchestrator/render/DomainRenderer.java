package io.headnode.orchestrator.render;

import io.headnode.contract.ShareLayout;
import io.headnode.orchestrator.spec.HeadnodePaths;
import io.headnode.orchestrator.spec.HeadnodeSpec;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;
import org.apache.velocity.runtime.RuntimeConstants;
import org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader;

/** Renders a spec into libvirt domain XML with the Velocity template from the domain-templates module. */
public final class DomainRenderer {
    public static final String TEMPLATE = "io/headnode/templates/headnode-domain.xml.vm";
    private final VelocityEngine engine;
    private final Template template;
    private final HeadnodePaths paths;
    private final DomainTypeProbe typeProbe;

    @Inject
    public DomainRenderer(HeadnodePaths paths, DomainTypeProbe typeProbe) {
        this.paths = Objects.requireNonNull(paths, "paths is null");
        this.typeProbe = Objects.requireNonNull(typeProbe, "typeProbe is null");
        engine = new VelocityEngine();
        engine.setProperty(RuntimeConstants.RESOURCE_LOADERS, "classpath");
        engine.setProperty("resource.loader.classpath.class", ClasspathResourceLoader.class.getName());
        engine.setProperty(RuntimeConstants.RUNTIME_REFERENCES_STRICT, "true");
        engine.setProperty(RuntimeConstants.INPUT_ENCODING, "UTF-8");
        engine.init();
        try (InputStream in = DomainRenderer.class.getClassLoader().getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("template " + TEMPLATE + " is not on the classpath (headnode-domain-templates missing)");
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot read template " + TEMPLATE, e);
        }
        template = engine.getTemplate(TEMPLATE, StandardCharsets.UTF_8.name());
    }

    public String render(HeadnodeSpec spec) {
        VelocityContext c = new VelocityContext();
        c.put("domainType", x(typeProbe.domainType()));
        c.put("name", x(HeadnodePaths.domainName(spec.vlan())));
        c.put("uuid", x(spec.uuid().toString()));
        c.put("vlan", spec.vlan().id());
        c.put("memoryMib", spec.memoryMib());
        c.put("vcpus", spec.vcpus());
        c.put("kernel", spec.kernel().map(k -> x(k.toString())).orElse(null));
        c.put("initrd", spec.initrd().map(k -> x(k.toString())).orElse(null));
        c.put("cmdline", x(spec.effectiveCmdline()));
        c.put("overlay", x(paths.overlay(spec.vlan()).toString()));
        c.put("vlanMac", x(spec.vlanMac().toString()));
        c.put("vlanBridge", x(paths.vlanBridge(spec.vlan())));
        c.put("publicMac", x(spec.publicMac().toString()));
        c.put("publicBridge", x(spec.publicBridge()));
        c.put("shareDir", x(paths.shareDir(spec.vlan()).toString()));
        c.put("shareTag", x(ShareLayout.MOUNT_TAG));
        c.put("imageDir", x(paths.config().imageDir().toString()));
        c.put("imageTag", x(io.headnode.contract.ImageCatalog.MOUNT_TAG));
        c.put("consoleLog", x(paths.consoleLog(spec.vlan()).toString()));
        c.put("statusSocket", x(paths.statusSocket(spec.vlan()).toString()));
        c.put("statusChannel", x(HeadnodePaths.STATUS_CHANNEL));
        StringWriter w = new StringWriter();
        template.merge(c, w);
        return w.toString();
    }

    /** XML-escapes text for element content and single- or double-quoted attributes. */
    static String x(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '\'' -> b.append("&apos;");
                case '"' -> b.append("&quot;");
                default -> b.append(ch);
            }
        }
        return b.toString();
    }
}
