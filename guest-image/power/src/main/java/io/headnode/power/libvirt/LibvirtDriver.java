package io.headnode.power.libvirt;

import com.google.inject.Inject;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A virtual node: a libvirt domain ({@code uri=}, {@code domain=} in its credentials entry). On: start; off:
 * destroy; cycle: destroy and start; reset: virDomainReset; boot device: persistent only (the domain's
 * {@code <os><boot>}). Calls run on a small pool of this driver's threads so each has a timeout.
 */
public final class LibvirtDriver implements PowerDriver {
    public static final String NAME = "libvirt";
    static final DriverOption URI = DriverOption.of("uri", "a libvirt URI", v -> v.matches("[a-z][a-z0-9+.-]*:.*")).mandatory();
    static final DriverOption DOMAIN = DriverOption.of("domain", "a libvirt domain name", v -> v.matches("[A-Za-z0-9_.+-]{1,200}")).mandatory();
    public static final DriverOptions OPTIONS = new DriverOptions(NAME, false, false, List.of(URI, DOMAIN));
    private final LibvirtDomains domains;
    private final Duration timeout;
    private final ExecutorService calls = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "libvirt-power");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public LibvirtDriver(PowerSettings settings, LibvirtDomains domains) {
        this.timeout = Objects.requireNonNull(settings, "settings is null").callTimeout();
        this.domains = Objects.requireNonNull(domains, "domains is null");
    }

    @Override
    public String name() {
        return NAME;
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
        return new Client(uri, domain);
    }

    private interface Call<T> {
        T run() throws LibvirtFailure;
    }

    private final class Client implements BmcClient {
        private final String uri;
        private final String domain;

        Client(String uri, String domain) {
            this.uri = uri;
            this.domain = domain;
        }

        @Override
        public PowerState state() throws BmcException {
            return call(() -> domains.state(uri, domain), false);
        }

        @Override
        public void power(PowerAction action) throws BmcException {
            call(() -> {
                switch (action) {
                    case ON -> domains.start(uri, domain);
                    case OFF -> domains.destroy(uri, domain);
                    case RESET -> domains.reset(uri, domain);
                    case CYCLE -> {
                        domains.destroy(uri, domain);
                        domains.start(uri, domain);
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
            call(() -> {
                domains.setBootDevice(uri, domain, device);
                return null;
            }, true);
        }

        private <T> T call(Call<T> call, boolean command) throws BmcException {
            Future<T> f = calls.submit(call::run);
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
                if (e.getCause() instanceof LibvirtFailure lf) {
                    throw switch (lf.kind()) {
                        case NO_CONNECTION -> BmcException.unreachable(lf.getMessage(), lf);
                        default -> BmcException.refused(lf.getMessage());
                    };
                }
                throw BmcException.refused("libvirt failed for domain " + domain + ": " + e.getCause());
            }
        }
    }
}
