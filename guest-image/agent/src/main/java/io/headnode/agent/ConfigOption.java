package io.headnode.agent;

import io.headnode.common.kv.KvException;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The --config option every subcommand shares. */
public final class ConfigOption {
    @Option(names = "--config", paramLabel = "FILE", description = "agent settings (default: ${DEFAULT-VALUE})",
            defaultValue = "/etc/headnode/agent.conf")
    Path file;

    AgentConfig load() throws IOException, KvException {
        return AgentConfig.load(file);
    }
}
