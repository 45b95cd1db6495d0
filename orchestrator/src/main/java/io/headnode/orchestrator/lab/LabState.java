package io.headnode.orchestrator.lab;

import io.headnode.contract.AtomicFiles;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Properties;

/** What a lab made (PIDs, names), kept in {@code <dir>/lab.state} so {@code lab status} and {@code lab down} find it. */
final class LabState {
    private final Path file;
    private final Properties values = new Properties();

    private LabState(Path file) {
        this.file = file;
    }

    static LabState load(Path file) {
        LabState s = new LabState(file);
        if (Files.exists(file)) {
            try {
                s.values.load(new StringReader(Files.readString(file, StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }
        return s;
    }

    Optional<String> get(String key) {
        return Optional.ofNullable(values.getProperty(key));
    }

    Optional<Long> pid(String daemon) {
        return get("pid." + daemon).map(Long::parseLong);
    }

    void put(String key, String value) {
        values.setProperty(key, value);
        save();
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            StringWriter w = new StringWriter();
            values.store(w, "headnode lab: what it made");
            AtomicFiles.writeIfChanged(file, w.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
