package io.headnode.agent.power;

import com.google.inject.Module;
import picocli.CommandLine;

/**
 * THE single place where the power drivers plug into the agent. When io.headnode.power.PowerModule (binds
 * PowerService) and io.headnode.power.cli.PowerCommand (the {@code headnode-agent power ...} subcommand) exist in
 * guest-image/power, {@link #module()} returns {@code new PowerModule()} and {@link #register} adds
 * {@code new PowerCommand()}. Until then the agent runs with {@link UnavailablePowerService}: installs are
 * still prepared and served, and the node installs at its next network boot.
 */
public final class PowerPlug {
    private PowerPlug() {
    }

    public static Module module() {
        return new UnavailablePowerModule();
    }

    public static void register(CommandLine commandLine) {
        // commandLine.addSubcommand("power", new io.headnode.power.cli.PowerCommand());
    }
}
