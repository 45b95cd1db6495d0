package io.headnode.power.libvirt;

import com.google.inject.Inject;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.HypervisorException;
import io.headnode.common.libvirt.HypervisorPool;
import io.headnode.common.libvirt.RunState;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.DriverOption;
import io.headnode.contract.DriverOptions;
import io.headnode.contract.Machine;
import io.headnode.power.BootDevice;
import io.headnode.power.PowerSettings;
import io.headnode.power.PowerState;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import io.headnode.power.driver.PowerDriver;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A virtual node: a libvirt domain ({@code uri=}, {@code domain=} in its credentials entry), driven through the
 * shared libvirt wrapper ({@link HypervisorPool}: one connection per URI, reopened after libvirtd restarts). On:
 * start; off: destroy; cycle: destroy and start; reset: virDomainReset; boot device: persistent only (the domain's
 * {@code <os><boot>}). Calls run on a small pool of this driver's threads so each has a timeout.
 */
public final class LibvirtDriver implements PowerDriver {
    public static final String NAME = "libvirt";
    static final DriverOption URI = DriverOption.of("uri", "a libvirt URI", v -> v.matches("[a-z][a-z0-9+.-]*:.*")).mandatory();
    static final DriverOption DOMAIN = DriverOption.of("domain", "a libvirt domain name", v -> v.matches("[A-Za-z0-9_.+-]{1,200}")).mandatory();
    public static final DriverOptions OPTIONS = new DriverOptions(NAME, false, false, List.of(URI, DOMAIN));
    private final HypervisorPool hypervisors;
    private final Duration timeout;
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "libvirt-power");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public LibvirtDriver(PowerSettings settings, HypervisorPool hypervisors) {
        this.timeout = Objects.requireNonNull(settings, "settings is null").callTimeout();
        this.hypervisors = Objects.requireNonNull(hypervisors, "hypervisors is null");
    }


    @Override
    public DriverOptions options() {
        return OPTIONS;
    }

    @Override
    public BmcClient open(Machine machine, Optional<BmcCredentials> credentials) throws BmcException {
        BmcCredentials c = credentials.orElseThrow(() -> BmcException.refused("no credentials.conf entry for " + machine.mac() + " (libvirt needs uri and domain)"));
        String uri = URI.find(c).orElseThrow(() -> BmcException.refused("credentials entry " + c.key() + " has no uri"));
        String domain = DOMAIN.find(c).orElseThrow(() -> BmcException.refused("credentials entry " + c.key() + " has no domain"));
        return new Client(hypervisors.at(uri), domain);
    }

    static PowerState powerState(RunState s) {
        return switch (s) {
            case RUNNING, PAUSED -> PowerState.ON;
            case SHUTOFF, SHUTTING_DOWN, CRASHED -> PowerState.OFF;
            case OTHER -> PowerState.UNKNOWN;
        };
    }

    private final class Client implements BmcClient {
        private final Hypervisor hypervisor;
        private final String domain;

        Client(Hypervisor hypervisor, String domain) {
            this.hypervisor = hypervisor;
            this.domain = domain;
        }

        @Override
        public PowerState state() throws BmcException {
            return call(() -> powerState(hypervisor.state(domain)), false);
        }

        @Override
        public void power(PowerAction action) throws BmcException {
            call(() -> {
                switch (action) {
                    case ON -> hypervisor.start(domain);
                    case OFF -> hypervisor.destroy(domain);
                    case RESET -> hypervisor.reset(domain);
                    case CYCLE -> {
                        hypervisor.destroy(domain);
                        hypervisor.start(domain);
                    }
                }
                return null;
            }, true);
        }

        @Override
        public void bootDevice(BootDevice device, boolean once) throws BmcException {
            if (once) {
                throw BmcException.refused("libvirt has no one-time boot override; use a persistent boot device (without --once)");
            }
            io.headnode.common.libvirt.BootDevice dev = device == BootDevice.PXE
                    ? io.headnode.common.libvirt.BootDevice.NETWORK : io.headnode.common.libvirt.BootDevice.HD;
            call(() -> {
                hypervisor.setBootDevice(domain, dev);
                return null;
            }, true);
        }

        private <T> T call(Callable<T> call, boolean command) throws BmcException {
            Future<T> f = calls.submit(call);
            try {
                return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                throw BmcException.timedOut("libvirt gave no answer within " + timeout.toMillis() + " ms for domain " + domain, command);
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw BmcException.timedOut("interrupted", command);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof HypervisorException he) {
                    throw he.kind() == HypervisorException.Kind.CANNOT_CONNECT
                            ? BmcException.unreachable(he.getMessage(), he)
                            : BmcException.refused(he.getMessage());
                }
                throw BmcException.refused("libvirt failed for domain " + domain + ": " + e.getCause());
            }
        }
    }
}
