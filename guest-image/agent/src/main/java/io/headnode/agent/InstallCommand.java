package io.headnode.agent;

import io.headnode.agent.install.RequestSpool;
import io.headnode.contract.MacAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Spools an install request for the running agent (guest-side twin of the host's {@code headnode install}). */
@Command(name = "install", description = "Request a (re)install of the given machines, or of all listed machines.")
final class InstallCommand implements Callable<Integer> {
    static final class Target {
        @Option(names = "--all", required = true, description = "every machine in machines.txt")
        boolean all;
        @Parameters(paramLabel = "MAC", arity = "1..*", description = "MAC addresses (aa:bb:cc:dd:ee:ff)")
        List<String> macs;
    }

    @Mixin
    ConfigOption config;
    @ArgGroup(exclusive = true, multiplicity = "1")
    Target target;
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        List<MacAddress> macs = new ArrayList<>();
        if (!target.all) {
            for (String m : target.macs) {
                try {
                    macs.add(MacAddress.parse(m));
                } catch (IllegalArgumentException e) {
                    spec.commandLine().getErr().println("install: " + e.getMessage());
                    return 2;
                }
            }
        }
        String id = RequestSpool.spool(config.load().localRequests(), target.all, macs);
        spec.commandLine().getOut().println("install request " + id + " queued; see 'headnode-agent status'");
        return 0;
    }
}
