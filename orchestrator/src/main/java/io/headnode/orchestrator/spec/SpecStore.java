package io.headnode.orchestrator.spec;

import io.headnode.common.kv.KvException;
import io.headnode.contract.AtomicFiles;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.config.HostConfig;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** Desired specs on the host, one file per VLAN under {@code <state-dir>/specs}, written atomically. */
public final class SpecStore {
    private static final java.util.regex.Pattern SPEC_FILE = java.util.regex.Pattern.compile("[0-9]{1,4}\\.spec");
    private final Path dir;

    @Inject
    public SpecStore(HostConfig config) {
        this.dir = Objects.requireNonNull(config, "config is null").stateDir().resolve("specs");
    }

    public Path file(Vlan vlan) {
        return dir.resolve(vlan.id() + ".spec");
    }

    public Optional<HeadnodeSpec> read(Vlan vlan) throws IOException, KvException {
        try {
            return Optional.of(SpecCodec.parse(file(vlan).toString(), Files.readAllBytes(file(vlan))));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** Writes the spec atomically; returns false when the file already held exactly this spec. */
    public boolean write(HeadnodeSpec spec) throws IOException {
        return AtomicFiles.writeIfChanged(file(spec.vlan()), SpecCodec.render(spec));
    }

    public void remove(Vlan vlan) throws IOException {
        Files.deleteIfExists(file(vlan));
    }

    /** The VLANs that have a spec file, in order. */
    public List<Vlan> vlans() throws IOException {
        List<Vlan> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : s.toList()) {
                String n = p.getFileName().toString();
                if (SPEC_FILE.matcher(n).matches()) {
                    try {
                        out.add(new Vlan(Integer.parseInt(n.substring(0, n.length() - 5))));
                    } catch (IllegalArgumentException e) {
                        // 0.spec or 4095.spec: not a VLAN, ignored
                    }
                }
            }
        }
        out.sort(null);
        return out;
    }
}
