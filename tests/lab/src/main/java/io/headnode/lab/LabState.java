package io.headnode.lab;

import io.headnode.contract.AtomicFiles;
import io.headnode.testing.Daemon;
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

    Optional<Long> pid(String daemon) {
        return Optional.ofNullable(values.getProperty("pid." + daemon)).map(Long::parseLong);
    }

    /** Remembers the PID of a daemon the lab started, so a later {@code lab status} or {@code lab down} finds it. */
    void putPid(String daemon, Daemon d) {
        putPid(daemon, d.pid());
    }

    void putPid(String daemon, long pid) {
        values.setProperty("pid." + daemon, Long.toString(pid));
        save();
    }

    /** The daemon recorded under {@code daemon}, if it still runs with {@code marker} in its command line. */
    Optional<Daemon> attach(String daemon, String marker, Path log) {
        return pid(daemon).flatMap(p -> Daemon.attach(daemon, p, marker, log));
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
