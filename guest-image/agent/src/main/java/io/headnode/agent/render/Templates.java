package io.headnode.agent.render;

import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.apache.velocity.Template;
import org.apache.velocity.VelocityContext;
import org.apache.velocity.app.VelocityEngine;

/**
 * Velocity templates by name (e.g. {@code dhcpd.conf.vm}, {@code profiles/centos/kickstart.vm}): an operator's file
 * at {@code <templates-dir>/<name>} wins over the one shipped in the jar (classpath {@code templates/<name>}).
 * Strict mode: a missing variable is an error, not an empty string.
 */
public final class Templates {
    private final Path overrideDir;
    private final VelocityEngine files;
    private final VelocityEngine shipped;

    public Templates(Path overrideDir) {
        this.overrideDir = overrideDir;
        this.shipped = engine("class", null);
        this.files = overrideDir == null ? null : engine("file", overrideDir);
    }

    private static VelocityEngine engine(String loader, Path dir) {
        Properties p = new Properties();
        p.setProperty("resource.loaders", loader);
        if (dir != null) {
            p.setProperty("resource.loader.file.path", dir.toString());
            p.setProperty("resource.loader.file.cache", "true");
            p.setProperty("resource.loader.file.modification_check_interval", "2");
        } else {
            p.setProperty("resource.loader.class.class", "org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader");
            p.setProperty("resource.loader.class.cache", "true");
        }
        p.setProperty("runtime.strict_mode.enable", "true");
        p.setProperty("resource.default_encoding", "UTF-8");
        p.setProperty("parser.space_gobbling", "lines");
        VelocityEngine e = new VelocityEngine(p);
        e.init();
        return e;
    }

    /** Renders {@code name} with the given variables. */
    public String render(String name, Map<String, ?> variables) {
        Template t = overridden(name) ? files.getTemplate(name, "UTF-8") : shipped.getTemplate("templates/" + name, "UTF-8");
        VelocityContext ctx = new VelocityContext();
        variables.forEach(ctx::put);
        StringWriter w = new StringWriter(4096);
        t.merge(ctx, w);
        return w.toString();
    }

    public boolean exists(String name) {
        return overridden(name) || shipped.resourceExists("templates/" + name);
    }

    private boolean overridden(String name) {
        return files != null && Files.isRegularFile(overrideDir.resolve(name));
    }
}
