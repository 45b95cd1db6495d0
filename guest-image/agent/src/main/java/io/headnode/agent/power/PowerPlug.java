package io.headnode.agent.power;

import com.google.inject.Module;
import io.headnode.agent.AgentConfig;
import io.headnode.contract.ShareLayout;
import io.headnode.power.PowerModule;
import io.headnode.power.PowerSettings;
import io.headnode.power.cli.PowerCommand;
import picocli.CommandLine;

/**
 * The single place where the power drivers (guest-image/power) plug into the agent: the Guice module that binds
 * PowerService (routing per machine to AMT, IPMI, Redfish or libvirt from the share's credentials.conf) and the
 * {@code headnode-agent power ...} subcommand.
 */
public final class PowerPlug {
    private PowerPlug() {
    }

    public static Module module(AgentConfig config) {
        return new PowerModule(new ShareLayout(config.shareMount()), PowerSettings.defaults());
    }

    public static void register(CommandLine commandLine) {
        commandLine.addSubcommand("power", new PowerCommand());
    }
}
