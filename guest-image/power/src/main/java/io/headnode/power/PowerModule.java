package io.headnode.power;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.MapBinder;
import com.google.inject.name.Names;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.common.libvirt.HypervisorPool;
import io.headnode.contract.ShareLayout;
import io.headnode.power.amt.AmtDriver;
import io.headnode.power.driver.PowerDriver;
import io.headnode.power.ipmi.IpmiDriver;
import io.headnode.power.libvirt.LibvirtDriver;
import io.headnode.power.redfish.RedfishDriver;
import java.security.SecureRandom;
import java.util.Objects;

/**
 * Power control: {@link PowerService} bound to {@link RoutingPowerService}, which picks the driver per machine
 * from the share's credentials.conf (else headnode.conf's power-driver). Only binds.
 */
public final class PowerModule extends AbstractModule {
    /**
     * The qualifier of the {@link CommandRunner} that runs BMC tools (ipmitool). Qualified so that the module can sit
     * in an injector that binds its own (unqualified) runner, as the agent's does.
     */
    public static final String TOOLS = "power-tools";
    private final ShareLayout share;
    private final PowerSettings settings;

    public PowerModule(ShareLayout share, PowerSettings settings) {
        this.share = Objects.requireNonNull(share, "share is null");
        this.settings = Objects.requireNonNull(settings, "settings is null");
    }

    @Override
    protected void configure() {
        bind(ShareLayout.class).toInstance(share);
        bind(PowerSettings.class).toInstance(settings);
        bind(Ticker.class).toInstance(Ticker.SYSTEM);
        bind(CommandRunner.class).annotatedWith(Names.named(TOOLS)).toInstance(new ProcessCommandRunner());
        bind(HypervisorPool.class).in(Singleton.class);
        bind(CredentialsSource.class).to(ShareCredentialsSource.class).in(Singleton.class);
        bind(PowerService.class).to(RoutingPowerService.class).in(Singleton.class);
        MapBinder<String, PowerDriver> drivers = MapBinder.newMapBinder(binder(), String.class, PowerDriver.class);
        drivers.addBinding(AmtDriver.NAME).to(AmtDriver.class).in(Singleton.class);
        drivers.addBinding(IpmiDriver.NAME).to(IpmiDriver.class).in(Singleton.class);
        drivers.addBinding(RedfishDriver.NAME).to(RedfishDriver.class).in(Singleton.class);
        drivers.addBinding(LibvirtDriver.NAME).to(LibvirtDriver.class).in(Singleton.class);
    }

    @Provides
    @Singleton
    BmcPacer pacer(PowerSettings s, Ticker ticker) {
        return new BmcPacer(s.minInterval(), ticker);
    }

    @Provides
    @Singleton
    PowerOperations operations(PowerSettings s, BmcPacer pacer, Ticker ticker) {
        SecureRandom random = new SecureRandom();
        return new PowerOperations(s, pacer, ticker, random::nextDouble);
    }
}
