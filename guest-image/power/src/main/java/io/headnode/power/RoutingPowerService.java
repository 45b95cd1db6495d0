package io.headnode.power;

import com.google.inject.Inject;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.Machine;
import io.headnode.contract.ShareFormatException;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import io.headnode.power.driver.PowerDriver;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The {@link PowerService}: picks each machine's driver (its credentials entry, else the head node's default),
 * opens a client, and lets {@link PowerOperations} do the work. Nothing here throws: every problem, including a
 * broken credentials file, is an outcome.
 */
public final class RoutingPowerService implements PowerService {
    private static final Logger LOG = LoggerFactory.getLogger(RoutingPowerService.class);
    private final CredentialsSource credentials;
    private final Map<String, PowerDriver> drivers;
    private final PowerOperations operations;

    @Inject
    public RoutingPowerService(CredentialsSource credentials, Map<String, PowerDriver> drivers, PowerOperations operations) {
        this.credentials = Objects.requireNonNull(credentials, "credentials is null");
        this.drivers = Map.copyOf(Objects.requireNonNull(drivers, "drivers is null"));
        this.operations = Objects.requireNonNull(operations, "operations is null");
    }

    private interface Work {
        PowerOutcome run(BmcClient client) throws InterruptedException;
    }

    private PowerOutcome run(Machine machine, String what, Work work) {
        Objects.requireNonNull(machine, "machine is null");
        String before = MDC.get("mac");
        MDC.put("mac", machine.mac().toString());
        try {
            PowerOutcome outcome = route(machine, work);
            if (outcome.succeeded()) {
                LOG.info("{} on {} (BMC {}): {} {}: {}", what, machine.mac(), machine.bmc(), outcome.kind(), outcome.state(), outcome.detail());
            } else {
                LOG.warn("{} on {} (BMC {}): {} {}: {}", what, machine.mac(), machine.bmc(), outcome.kind(), outcome.state(), outcome.detail());
            }
            return outcome;
        } finally {
            if (before == null) {
                MDC.remove("mac");
            } else {
                MDC.put("mac", before);
            }
        }
    }

    private PowerOutcome route(Machine machine, Work work) {
        Optional<BmcCredentials> entry;
        String driverName;
        try {
            entry = credentials.lookup(machine);
            driverName = entry.flatMap(BmcCredentials::driver).orElse(credentials.defaultDriver());
        } catch (IOException | ShareFormatException e) {
            return refused("cannot read credentials: " + e.getMessage());
        }
        PowerDriver driver = drivers.get(driverName);
        if (driver == null) {
            return refused("no power driver '" + driverName + "' (available: " + String.join(", ", new TreeSet<>(drivers.keySet())) + ")");
        }
        try (BmcClient client = driver.open(machine, entry)) {
            return work.run(client);
        } catch (BmcException e) {
            return new PowerOutcome(e.kind(), PowerState.UNKNOWN, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new PowerOutcome(PowerOutcome.Kind.TIMED_OUT, PowerState.UNKNOWN, "interrupted");
        } catch (RuntimeException e) {
            LOG.error("driver {} failed unexpectedly", driverName, e);
            return refused("driver " + driverName + " failed: " + e);
        }
    }

    private static PowerOutcome refused(String why) {
        return new PowerOutcome(PowerOutcome.Kind.REFUSED, PowerState.UNKNOWN, why);
    }

    @Override
    public PowerOutcome status(Machine machine) {
        return run(machine, "status", c -> operations.status(machine, c));
    }

    @Override
    public PowerOutcome on(Machine machine) {
        return run(machine, "power on", c -> operations.power(machine, c, PowerAction.ON));
    }

    @Override
    public PowerOutcome off(Machine machine) {
        return run(machine, "power off", c -> operations.power(machine, c, PowerAction.OFF));
    }

    @Override
    public PowerOutcome cycle(Machine machine) {
        return run(machine, "power cycle", c -> operations.power(machine, c, PowerAction.CYCLE));
    }

    @Override
    public PowerOutcome reset(Machine machine) {
        return run(machine, "reset", c -> operations.power(machine, c, PowerAction.RESET));
    }

    @Override
    public PowerOutcome bootDevice(Machine machine, BootDevice device, boolean once) {
        return run(machine, "boot device " + device, c -> operations.bootDevice(machine, c, device, once));
    }
}
