package io.headnode.agent.install;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.headnode.contract.AtomicFiles;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import java.io.IOException;
import java.time.Instant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The install state on the guest's disk (installs.json, mode 0600: it holds tokens): each node's record and every
 * request id ever run, so a request runs exactly once, also across restarts.
 */
public final class InstallStore {
    /** The persisted form. */
    public record Data(@JsonProperty("done-requests") List<String> doneRequests, @JsonProperty("nodes") Map<String, NodeInstall> nodes) {
        public Data {
            doneRequests = doneRequests == null ? new ArrayList<>() : new ArrayList<>(doneRequests);
            nodes = nodes == null ? new TreeMap<>() : new TreeMap<>(nodes);
        }
    }

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(instants()).build()
            .enable(SerializationFeature.INDENT_OUTPUT);
    private final Path file;

    public InstallStore(Path file) {
        this.file = Objects.requireNonNull(file, "file is null");
    }

    /** Instants as ISO-8601 text (no extra Jackson module needed). */
    static SimpleModule instants() {
        SimpleModule m = new SimpleModule("instants");
        m.addSerializer(Instant.class, ToStringSerializer.instance);
        m.addDeserializer(Instant.class, new StdDeserializer<Instant>(Instant.class) {
            private static final long serialVersionUID = 1L;

            @Override
            public Instant deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
                return Instant.parse(p.getValueAsString());
            }
        });
        return m;
    }

    public Data load() throws IOException {
        if (!Files.exists(file)) {
            return new Data(List.of(), Map.of());
        }
        return JSON.readValue(file.toFile(), Data.class);
    }

    public void save(Data data) throws IOException {
        AtomicFiles.writeIfChanged(file, JSON.writeValueAsBytes(data), PosixFilePermissions.fromString("rw-------"));
    }
}
