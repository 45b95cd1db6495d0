package io.headnode.agent;

import io.headnode.common.kv.KvException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The --config option every subcommand shares. */
public final class ConfigOption {
    static final String NAME = "--config";
    static final String DEFAULT_FILE = "/etc/headnode/agent.conf";

    @Option(names = NAME, paramLabel = "FILE", description = "agent settings (default: ${DEFAULT-VALUE})",
            defaultValue = DEFAULT_FILE)
    Path file;

    ConfigOption() {
    }

    ConfigOption(Path file) {
        this.file = file;
    }

    AgentConfig load() throws IOException, KvException {
        return AgentConfig.load(file);
    }
}
