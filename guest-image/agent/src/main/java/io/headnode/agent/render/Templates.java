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
 * Velocity templates: an operator's copy under the templates directory wins over the one shipped in the jar
 * (classpath {@code templates/}). Strict mode: a missing variable is an error, not an empty string.
 */
public final class Templates {
    private final VelocityEngine engine;

    public Templates(Path overrideDir) {
        Properties p = new Properties();
        boolean hasOverrides = overrideDir != null && Files.isDirectory(overrideDir);
        p.setProperty("resource.loaders", hasOverrides ? "file,class" : "class");
        if (hasOverrides) {
            p.setProperty("resource.loader.file.path", overrideDir.toString());
            p.setProperty("resource.loader.file.cache", "true");
        }
        p.setProperty("resource.loader.class.class", "org.apache.velocity.runtime.resource.loader.ClasspathResourceLoader");
        p.setProperty("resource.loader.class.cache", "true");
        p.setProperty("runtime.strict_mode.enable", "true");
        p.setProperty("resource.default_encoding", "UTF-8");
        p.setProperty("parser.space_gobbling", "lines");
        engine = new VelocityEngine(p);
        engine.init();
    }

    /** Renders {@code name} (e.g. dhcpd.conf.vm, profiles/centos/kickstart.vm) with the given variables. */
    public String render(String name, Map<String, ?> variables) {
        Template t = engine.getTemplate(classpathName(name), "UTF-8");
        VelocityContext ctx = new VelocityContext();
        variables.forEach(ctx::put);
        StringWriter w = new StringWriter(4096);
        t.merge(ctx, w);
        return w.toString();
    }

    public boolean exists(String name) {
        return engine.resourceExists(classpathName(name));
    }

    private static String classpathName(String name) {
        return "templates/" + name;
    }
}
