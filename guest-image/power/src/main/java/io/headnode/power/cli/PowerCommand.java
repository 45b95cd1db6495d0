package io.headnode.power.cli;

import com.google.inject.Guice;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import io.headnode.contract.MachineList;
import io.headnode.contract.ShareFileReader;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import io.headnode.power.BootDevice;
import io.headnode.power.PowerModule;
import io.headnode.power.PowerOutcome;
import io.headnode.power.PowerService;
import io.headnode.power.PowerSettings;
import io.headnode.power.Ticker;
import io.headnode.power.batch.PowerBatch;
import io.headnode.power.batch.SummaryTable;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code power status|on|off|cycle|reset|bootdev pxe|disk [--once] MAC...|--all}: one operation on nodes of
 * machines.txt, in a batch; prints a summary table; exit 0 when every node succeeded, 1 when any failed,
 * 2 on bad usage or an unreadable share. Self-contained: reads the share given by {@code --share}.
 */
@Command(name = "power", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Power control of this VLAN's nodes through their BMCs (AMT, IPMI, Redfish, libvirt).",
        footer = {"", "Exit status: 0 all nodes succeeded, 1 some node failed, 2 bad usage or share."})
public final class PowerCommand implements Callable<Integer> {
    static final int FAILED = 1;
    static final int USAGE = 2;

    @Spec
    CommandSpec spec;

    @Option(scope = CommandLine.ScopeType.INHERIT, names = "--share", defaultValue = "/etc/moc", description = "The share directory with machines.txt, headnode.conf, credentials.conf (default: ${DEFAULT-VALUE}).")
    Path share;

    @Option(scope = CommandLine.ScopeType.INHERIT, names = "--parallel", defaultValue = "16", description = "Nodes worked on at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(scope = CommandLine.ScopeType.INHERIT, names = "--stagger-ms", defaultValue = "500", description = "Milliseconds between two power-on starts (default: ${DEFAULT-VALUE}).")
    long staggerMs;

    @Option(scope = CommandLine.ScopeType.INHERIT, names = "--min-interval-ms", defaultValue = "1000", description = "Minimum milliseconds between two commands to one BMC (default: ${DEFAULT-VALUE}).")
    long minIntervalMs;

    @Option(scope = CommandLine.ScopeType.INHERIT, names = "--timeout-ms", defaultValue = "10000", description = "Timeout of every single BMC call (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    @Option(scope = CommandLine.ScopeType.INHERIT, names = "--attempts", defaultValue = "3", description = "Tries per node; each retry re-reads the power state first (default: ${DEFAULT-VALUE}).")
    int attempts;

    @Option(scope = CommandLine.ScopeType.INHERIT, names = "--settle-ms", defaultValue = "30000", description = "How long to wait for a node to reach the state asked for (default: ${DEFAULT-VALUE}).")
    long settleMs;

    private final Function<PowerSettings, PowerService> services;

    /** As registered under headnode-agent: builds the power service from the share. */
    public PowerCommand() {
        this.services = null;
    }

    /** With a given service factory (tests, or a caller that already has an injector). */
    public PowerCommand(Function<PowerSettings, PowerService> services) {
        this.services = services;
    }

    /** Runs {@code power} on its own (for tests and for a standalone launcher). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return new CommandLine(new PowerCommand()).setOut(out).setErr(err).execute(args);
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return USAGE;
    }

    @Command(name = "status", description = "Read the power state.")
    int status(@Option(names = "--all", description = "Every node in machines.txt.") boolean all,
               @Parameters(arity = "0..*", paramLabel = "MAC") List<String> macs) {
        return batch("status", all, macs, false, PowerService::status);
    }

    @Command(name = "on", description = "Power on (already on: nothing is sent).")
    int on(@Option(names = "--all") boolean all, @Parameters(arity = "0..*", paramLabel = "MAC") List<String> macs) {
        return batch("on", all, macs, true, PowerService::on);
    }

    @Command(name = "off", description = "Hard power off (already off: nothing is sent).")
    int off(@Option(names = "--all") boolean all, @Parameters(arity = "0..*", paramLabel = "MAC") List<String> macs) {
        return batch("off", all, macs, false, PowerService::off);
    }

    @Command(name = "cycle", description = "Power cycle; a node that is off is powered on.")
    int cycle(@Option(names = "--all") boolean all, @Parameters(arity = "0..*", paramLabel = "MAC") List<String> macs) {
        return batch("cycle", all, macs, true, PowerService::cycle);
    }

    @Command(name = "reset", description = "Hard reset of a running node.")
    int reset(@Option(names = "--all") boolean all, @Parameters(arity = "0..*", paramLabel = "MAC") List<String> macs) {
        return batch("reset", all, macs, true, PowerService::reset);
    }

    @Command(name = "bootdev", description = "Boot device for the next boot (--once) or every boot: pxe or disk.")
    int bootdev(@Parameters(index = "0", paramLabel = "pxe|disk") String device,
                @Option(names = "--once", description = "Only the next boot.") boolean once,
                @Option(names = "--all") boolean all,
                @Parameters(index = "1..*", arity = "0..*", paramLabel = "MAC") List<String> macs) {
        BootDevice d;
        switch (device) {
            case "pxe" -> d = BootDevice.PXE;
            case "disk" -> d = BootDevice.DISK;
            default -> {
                err().println("power bootdev: '" + device + "' is not pxe or disk");
                return USAGE;
            }
        }
        return batch("bootdev " + device + (once ? " --once" : ""), all, macs, false, (s, m) -> s.bootDevice(m, d, once));
    }

    private interface Op {
        PowerOutcome apply(PowerService service, Machine machine);
    }

    private int batch(String name, boolean all, List<String> macs, boolean staggered, Op op) {
        List<String> given = macs == null ? List.of() : macs;
        if (all == !given.isEmpty()) {
            err().println("power " + name + ": name nodes by MAC or give --all (not both)");
            return USAGE;
        }
        PowerSettings settings;
        try {
            settings = PowerSettings.defaults().withParallelism(parallel).withStagger(Duration.ofMillis(staggerMs))
                    .withMinInterval(Duration.ofMillis(minIntervalMs)).withCallTimeout(Duration.ofMillis(timeoutMs))
                    .withAttempts(attempts).withSettle(Duration.ofMillis(settleMs), Duration.ofMillis(Math.min(500, Math.max(50, settleMs / 20))));
        } catch (IllegalArgumentException e) {
            err().println("power " + name + ": " + e.getMessage());
            return USAGE;
        }
        ShareLayout layout = new ShareLayout(share);
        List<Machine> targets;
        try {
            Optional<byte[]> content = new ShareFileReader(share).read(layout.machines(), MachineList.FILE_NAME, MachineList.MAX_BYTES);
            if (content.isEmpty()) {
                err().println("power " + name + ": no " + layout.machines());
                return USAGE;
            }
            MachineList list = MachineList.parse(MachineList.FILE_NAME, content.get());
            targets = all ? list.machines() : select(list, given);
        } catch (IOException e) {
            err().println("power " + name + ": cannot read " + layout.machines() + ": " + e.getMessage());
            return USAGE;
        } catch (ShareFormatException | IllegalArgumentException e) {
            err().println("power " + name + ": " + e.getMessage());
            return USAGE;
        }
        PowerService service = services != null ? services.apply(settings)
                : Guice.createInjector(new PowerModule(layout, settings)).getInstance(PowerService.class);
        List<PowerBatch.Result> results;
        try {
            results = new PowerBatch(settings, Ticker.SYSTEM).run(targets, staggered, m -> op.apply(service, m));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err().println("power " + name + ": interrupted");
            return FAILED;
        }
        spec.commandLine().getOut().print(SummaryTable.render(name, results));
        spec.commandLine().getOut().flush();
        return results.stream().allMatch(r -> r.outcome().succeeded()) ? 0 : FAILED;
    }

    private static List<Machine> select(MachineList list, List<String> macs) {
        List<Machine> out = new ArrayList<>();
        for (String text : macs) {
            MacAddress mac = MacAddress.parse(text);
            Machine m = list.find(mac).orElseThrow(() -> new IllegalArgumentException(mac + " is not in machines.txt"));
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
