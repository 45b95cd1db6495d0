package io.headnode.lab;

import io.headnode.common.kv.KvException;
import io.headnode.common.kv.KvFile;
import io.headnode.common.kv.KvValues;
import io.headnode.contract.AtomicFiles;
import io.headnode.testing.Daemon;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;

/** What a lab made (PIDs, names), kept in {@code <dir>/lab.state} so {@code lab status} and {@code lab down} find it. */
final class LabState {
    private final Path file;
    private final TreeMap<String, String> values = new TreeMap<>();

    private LabState(Path file) {
        this.file = file;
    }

    static LabState load(Path file) {
        LabState s = new LabState(file);
        if (Files.exists(file)) {
            try {
                KvFile kv = KvFile.read(file);
                for (String key : kv.keys()) {
                    if (key.startsWith("pid.")) {
                        kv.required(key, KvValues::longNumber);   // a bad PID names file, line and key
                    }
                    s.values.put(key, kv.text(key).orElseThrow());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            } catch (KvException e) {
                throw new IllegalStateException(e.getMessage(), e);
            }
        }
        return s;
    }

    Optional<Long> pid(String daemon) {
        return Optional.ofNullable(values.get("pid." + daemon)).map(Long::parseLong);
    }

    /** Remembers the PID of a daemon the lab started, so a later {@code lab status} or {@code lab down} finds it. */
    void putPid(String daemon, Daemon d) {
        putPid(daemon, d.pid());
    }

    void putPid(String daemon, long pid) {
        values.put("pid." + daemon, Long.toString(pid));
        save();
    }

    /** The daemon recorded under {@code daemon}, if it still runs with {@code marker} in its command line. */
    Optional<Daemon> attach(String daemon, String marker, Path log) {
        return pid(daemon).flatMap(p -> Daemon.attach(daemon, p, marker, log));
    }

    private void save() {
        try {
            Files.createDirectories(file.getParent());
            StringBuilder w = new StringBuilder("# headnode lab: what it made\n");
            values.forEach((k, v) -> w.append(KvFile.line(k, v)));
            AtomicFiles.writeIfChanged(file, w.toString().getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
