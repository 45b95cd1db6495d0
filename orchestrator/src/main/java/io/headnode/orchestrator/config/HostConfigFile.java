package io.headnode.orchestrator.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads the orchestrator's config file ({@code key = value} lines, # comments). Unknown keys are errors,
 * naming file, line and key. Keys not given keep {@link HostConfig#defaults()}.
 */
public final class HostConfigFile {
    /** Used when --config is not given and this file exists. */
    public static final Path DEFAULT = Path.of("/etc/headnode/orchestrator.conf");
    public static final Set<String> KEYS = Set.of("state-dir", "share-root", "apparmor-dir", "apparmor-parser", "connect",
            "bridge-prefix", "public-bridge", "network-command-prefix", "qemu-user", "domain-type", "default-image",
            "default-memory-mib", "default-vcpus");

    private HostConfigFile() {
    }

    /** Loads {@code file}; with {@code required=false} a missing file means all defaults. */
    public static HostConfig load(Path file, boolean required) throws ConfigException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new ConfigException(file + ": no such file");
            }
            return HostConfig.defaults();
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage());
        }
        return parse(file.toString(), new String(bytes, StandardCharsets.UTF_8));
    }

    public static HostConfig parse(String fileName, String text) throws ConfigException {
        Map<String, String> v = new HashMap<>();
        Map<String, Integer> lineOf = new HashMap<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i];
            int hash = l.indexOf('#');
            if (hash >= 0) {
                l = l.substring(0, hash);
            }
            l = l.strip();
            if (l.isEmpty()) {
                continue;
            }
            int eq = l.indexOf('=');
            if (eq < 0) {
                throw new ConfigException(fileName + ":" + (i + 1) + ": expected 'key = value'");
            }
            String key = l.substring(0, eq).strip();
            if (!KEYS.contains(key)) {
                throw new ConfigException(fileName + ":" + (i + 1) + ": " + key + ": unknown key (known: " + String.join(", ", new TreeSet<>(KEYS)) + ")");
            }
            if (v.put(key, l.substring(eq + 1).strip()) != null) {
                throw new ConfigException(fileName + ":" + (i + 1) + ": " + key + ": given twice");
            }
            lineOf.put(key, i + 1);
        }
        HostConfig d = HostConfig.defaults();
        String key = null;
        try {
            key = "default-memory-mib";
            int memory = v.containsKey(key) ? Integer.parseInt(v.get(key)) : d.defaultMemoryMib();
            key = "default-vcpus";
            int vcpus = v.containsKey(key) ? Integer.parseInt(v.get(key)) : d.defaultVcpus();
            key = null;
            List<String> prefix = v.containsKey("network-command-prefix") && !v.get("network-command-prefix").isEmpty()
                    ? Arrays.asList(v.get("network-command-prefix").split("\\s+")) : d.networkCommandPrefix();
            return new HostConfig(
                    path(v, "state-dir", d.stateDir()), path(v, "share-root", d.shareRoot()),
                    path(v, "apparmor-dir", d.apparmorDir()), path(v, "apparmor-parser", d.apparmorParser()),
                    v.getOrDefault("connect", d.connect()), v.getOrDefault("bridge-prefix", d.bridgePrefix()),
                    v.getOrDefault("public-bridge", d.publicBridge()), prefix, v.getOrDefault("qemu-user", d.qemuUser()),
                    v.getOrDefault("domain-type", d.domainType()), path(v, "default-image", d.defaultImage()), memory, vcpus);
        } catch (NumberFormatException e) {
            throw new ConfigException(fileName + ":" + lineOf.get(key) + ": " + key + ": '" + v.get(key) + "' is not a whole number");
        } catch (IllegalArgumentException | NullPointerException e) {
            String k = e.getMessage() == null ? "" : e.getMessage().split(" ", 2)[0];
            Integer line = lineOf.get(k);
            throw new ConfigException(fileName + (line == null ? "" : ":" + line) + ": " + e.getMessage());
        }
    }

    private static Path path(Map<String, String> v, String key, Path dflt) {
        return v.containsKey(key) ? Path.of(v.get(key)) : dflt;
    }

    /** A config file that cannot be used; the message is one line naming file, line and key. */
    public static final class ConfigException extends Exception {
        private static final long serialVersionUID = 1L;

        public ConfigException(String message) {
            super(message);
        }
    }
}
