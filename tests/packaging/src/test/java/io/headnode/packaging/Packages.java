package io.headnode.packaging;

import io.headnode.testing.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/** The .deb files this build made (orchestrator/deb, guest-image/agent-deb) and their control fields. */
final class Packages {
    static final Path HOME = Path.of(System.getProperty("headnode.home", "../..")).toAbsolutePath().normalize();
    private static final List<Path> DIRS = List.of(HOME.resolve("orchestrator/deb/target"), HOME.resolve("guest-image/agent-deb/target"));

    private Packages() {
    }

    /** The one {@code NAME_*_all.deb} the build made. */
    static Path deb(String name) throws IOException {
        List<Path> found = new java.util.ArrayList<>();
        for (Path d : DIRS) {
            if (Files.isDirectory(d)) {
                try (Stream<Path> s = Files.list(d)) {
                    s.filter(p -> p.getFileName().toString().matches(java.util.regex.Pattern.quote(name) + "_[^_]+_all\\.deb")).forEach(found::add);
                }
            }
        }
        if (found.size() != 1) {
            throw new IllegalStateException("expected one " + name + "_*_all.deb in " + DIRS + " (mvn package), found " + found);
        }
        return found.get(0);
    }

    static String field(Path deb, String field) {
        return Command.check("dpkg-deb", "-f", deb.toString(), field).stdout().strip();
    }

    /** The package names of a Depends field, the first of each set of alternatives, without versions. */
    static List<String> firstAlternatives(String depends) {
        return Arrays.stream(depends.split(",")).map(d -> d.split("\\|")[0].strip().split("[ (]")[0]).filter(d -> !d.isEmpty()).toList();
    }
}
