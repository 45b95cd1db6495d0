package io.headnode.power.ipmi;

import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.CommandSpec;
import io.headnode.contract.Secret;
import io.headnode.power.BootDevice;
import io.headnode.power.PowerState;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One BMC through ipmitool; each call is one ipmitool run, killed (with its descendants) after the call timeout. The
 * password travels in the environment ({@code IPMI_PASSWORD}, read by {@code -E}), never on the command line.
 */
final class IpmiClient implements BmcClient {
    private final CommandRunner runner;
    private final List<String> base;
    private final Secret secret;
    private final Duration timeout;

    IpmiClient(CommandRunner runner, List<String> base, Secret secret, Duration timeout) {
        this.runner = runner;
        this.base = List.copyOf(base);
        this.secret = secret;
        this.timeout = timeout;
    }

    @Override
    public PowerState state() throws BmcException {
        String out = run(false, "chassis", "power", "status").stdout().toLowerCase(Locale.ROOT);
        if (out.contains("chassis power is on")) {
            return PowerState.ON;
        }
        if (out.contains("chassis power is off")) {
            return PowerState.OFF;
        }
        throw BmcException.refused("ipmitool gave no power state: " + firstLine(out));
    }

    @Override
    public void power(PowerAction action) throws BmcException {
        run(true, "chassis", "power", action.name().toLowerCase(Locale.ROOT));
    }

    @Override
    public void bootDevice(BootDevice device, boolean once) throws BmcException {
        List<String> args = new ArrayList<>(List.of("chassis", "bootdev", device == BootDevice.PXE ? "pxe" : "disk"));
        if (!once) {
            args.add("options=persistent");
        }
        run(true, args.toArray(String[]::new));
    }

    /** Exposed for tests: the argument array of a call (no secret in it). */
    List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(List.of(args));
        return cmd;
    }

    private CommandResult run(boolean command, String... args) throws BmcException {
        CommandResult r;
        try {
            r = runner.run(CommandSpec.of(command(args), timeout).withEnvironment("IPMI_PASSWORD", secret.reveal()));
        } catch (CommandException e) {
            throw switch (e.kind()) {
                case TIMED_OUT -> BmcException.timedOut("ipmitool gave no answer within " + timeout.toMillis() + " ms", command);
                case INTERRUPTED -> BmcException.timedOut("interrupted", command);
                case CANNOT_START, FAILED -> BmcException.refused(e.getMessage());
            };
        }
        if (r.exitCode() == 0) {
            return r;
        }
        throw classify(r.stderr() + "\n" + r.stdout());
    }

    static BmcException classify(String output) {
        String o = output.toLowerCase(Locale.ROOT);
        if (o.contains("rakp 2 hmac is invalid") || o.contains("unauthorized name") || o.contains("invalid role")
                || o.contains("invalid user name") || o.contains("rakp 2 message indicates an error") || o.contains("rakp 4")) {
            return BmcException.refused("BMC rejected the user or password");
        }
        if (o.contains("insufficient privilege")) {
            return BmcException.refused("BMC refused: insufficient privilege for this user");
        }
        if (o.contains("get auth capabilities error") || o.contains("no response")) {
            return BmcException.timedOut("BMC did not answer: " + lastErrorLine(output), false);
        }
        if (o.contains("unable to establish") || o.contains("connection refused") || o.contains("address lookup")) {
            return BmcException.unreachable("no IPMI session with the BMC: " + lastErrorLine(output), null);
        }
        if (o.contains("node busy") || o.contains("out of space")) {
            return BmcException.busy("BMC busy: " + lastErrorLine(output));
        }
        return BmcException.refused("ipmitool failed: " + lastErrorLine(output));
    }

    private static String lastErrorLine(String output) {
        String last = "";
        for (String l : output.split("\n")) {
            String t = l.strip();
            if (!t.isEmpty() && !t.startsWith("Loading IANA") && !t.startsWith(">")) {
                last = t;
                if (t.toLowerCase(Locale.ROOT).contains("error") || t.toLowerCase(Locale.ROOT).contains("fail")) {
                    return t;
                }
            }
        }
        return last.isEmpty() ? "no output" : last;
    }

    private static String firstLine(String s) {
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl);
    }
}
