package io.headnode.orchestrator.apparmor;

import io.headnode.contract.AtomicFiles;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the share rule ({@code <share-root>/** r,}, text from the apparmor module) reach the libvirt-qemu abstraction:
 * through {@code local/abstractions/libvirt-qemu} when the abstraction includes it (package upgrades keep local
 * files), or else in the abstraction itself. Either way between marker comments, written once, never duplicated,
 * validated with apparmor_parser in skip-kernel-load mode; a rejected change is rolled back. Reads the actual text
 * for the AppArmor step, which compares it with {@link #withRule} and returns the write as an action.
 */
public final class AppArmorRule {
    private static final Logger log = LoggerFactory.getLogger(AppArmorRule.class);
    public static final String RESOURCE = "io/headnode/apparmor/headnode-share.rule";
    static final String BEGIN = "# BEGIN headnode share rule (managed by headnode; do not edit)";
    static final String END = "# END headnode share rule";
    private static final String DEFAULT_ROOT = "/var/lib/headnode-config";
    private static final String DEFAULT_IMAGES = "/var/lib/headnode-images";
    private static final Pattern LOCAL_INCLUDE = Pattern.compile("(?m)^\\s*#?include\\s+(if\\s+exists\\s+)?<local/abstractions/libvirt-qemu>");
    private final HostConfig config;
    private final CommandRunner runner;

    public AppArmorRule(HostConfig config, CommandRunner runner) {
        this.config = Objects.requireNonNull(config, "config is null");
        this.runner = Objects.requireNonNull(runner, "runner is null");
    }

    public Path abstraction() {
        return config.apparmorDir().resolve("abstractions/libvirt-qemu");
    }

    public Path localInclude() {
        return config.apparmorDir().resolve("local/abstractions/libvirt-qemu");
    }

    /** The rule lines (comments dropped), with the configured share root. */
    public String ruleText() throws IOException {
        String raw;
        try (InputStream in = AppArmorRule.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("AppArmor rule " + RESOURCE + " is not on the classpath (headnode-apparmor missing)");
            }
            raw = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder b = new StringBuilder();
        for (String line : raw.split("\n")) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                String l = line.strip();
                int sp = l.lastIndexOf(' ');
                String path = l.substring(0, sp);
                path = path.startsWith(DEFAULT_IMAGES) ? config.imageDir() + path.substring(DEFAULT_IMAGES.length())
                        : path.replace(DEFAULT_ROOT, config.shareRoot().toString());
                if (path.matches(".*[\\s\"].*")) {
                    if (path.contains("\"")) {
                        throw new IOException("share-root " + config.shareRoot() + " or image-dir " + config.imageDir() + " cannot be written into an AppArmor rule");
                    }
                    path = "\"" + path + "\"";
                }
                b.append(path).append(l.substring(sp)).append('\n');
            }
        }
        return b.toString();
    }

    /** The file the block belongs in; empty when this host has no libvirt-qemu abstraction. */
    public Optional<Path> target() throws IOException {
        if (!Files.isRegularFile(abstraction())) {
            return Optional.empty();
        }
        return Optional.of(LOCAL_INCLUDE.matcher(Files.readString(abstraction())).find() ? localInclude() : abstraction());
    }

    /** The target's text now ("" when it does not exist yet). */
    public String read(Path target) throws IOException {
        return Files.exists(target) ? Files.readString(target) : "";
    }

    /** {@code text} with exactly one managed block holding the rule (unchanged when it already has it). */
    public String withRule(String text) throws IOException {
        return withBlock(text, ruleText());
    }

    /**
     * Writes {@code text} to {@code target} atomically and validates the result with apparmor_parser; a rejected
     * change is rolled back to what the file held before.
     */
    public void write(Path target, String text) throws IOException {
        String before = read(target);
        AtomicFiles.writeIfChanged(target, text.getBytes(StandardCharsets.UTF_8));
        try {
            validate();
        } catch (IOException e) {
            AtomicFiles.writeIfChanged(target, before.getBytes(StandardCharsets.UTF_8));
            throw e;
        }
    }

    /** {@code text} with exactly one managed block holding {@code rule}; other content untouched. */
    static String withBlock(String text, String rule) {
        List<String> kept = new ArrayList<>();
        boolean inBlock = false;
        for (String line : text.split("\n", -1)) {
            if (line.equals(BEGIN)) {
                inBlock = true;
            } else if (line.equals(END) && inBlock) {
                inBlock = false;
            } else if (!inBlock) {
                kept.add(line);
            }
        }
        String rest = String.join("\n", kept);
        while (rest.endsWith("\n\n")) {
            rest = rest.substring(0, rest.length() - 1);
        }
        if (!rest.isEmpty() && !rest.endsWith("\n")) {
            rest += "\n";
        }
        return rest + BEGIN + "\n" + rule + END + "\n";
    }

    /** Parses a profile that includes the abstraction, without loading anything into a kernel. */
    public void validate() throws IOException {
        Path parser = config.apparmorParser();
        if (!Files.isExecutable(parser)) {
            log.info("{} is not installed: AppArmor rule not validated", parser);
            return;
        }
        Path profile = Files.createTempFile("headnode-apparmor-check", ".profile");
        try {
            Files.writeString(profile, "#include <tunables/global>\nprofile headnode-check {\n  #include <abstractions/libvirt-qemu>\n}\n");
            CommandResult r = runner.run(List.of(parser.toString(), "--skip-kernel-load", "--skip-cache", "--quiet",
                    "-I", config.apparmorDir().toString(), profile.toString()));
            if (!r.ok()) {
                String why = r.stderr().lines().filter(l -> !l.startsWith("Cache read/write disabled")).findFirst().orElse(r.describe());
                throw new IOException("apparmor_parser rejected the libvirt-qemu abstraction with the share rule: " + why);
            }
        } finally {
            Files.deleteIfExists(profile);
        }
    }
}
