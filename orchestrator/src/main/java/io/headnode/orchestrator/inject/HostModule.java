package io.headnode.orchestrator.inject;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.name.Named;
import io.headnode.orchestrator.apparmor.AppArmorRule;
import io.headnode.orchestrator.config.HostConfig;
import io.headnode.orchestrator.disk.OverlayDisk;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.common.libvirt.DomainEvents;
import io.headnode.common.libvirt.Hypervisor;
import io.headnode.common.libvirt.LibvirtDomainEvents;
import io.headnode.common.libvirt.LazyHypervisor;
import io.headnode.orchestrator.net.IpRouteVlanNetwork;
import io.headnode.orchestrator.net.VlanNetwork;
import java.time.Clock;
import io.headnode.orchestrator.images.ImageReferences;
import io.headnode.orchestrator.images.ImageStore;
import java.util.List;
import java.util.Objects;

/** Binds the host adapters: configuration, subprocess runners, libvirt (calls and events), iproute2 network, AppArmor, disks, the clock. */
public final class HostModule extends AbstractModule {
    private final HostConfig config;

    public HostModule(HostConfig config) {
        this.config = Objects.requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(HostConfig.class).toInstance(config);
    }

    @Provides
    @Singleton
    Hypervisor hypervisor(HostConfig c) {
        return new LazyHypervisor(c.connect());
    }

    @Provides
    @Singleton
    DomainEvents domainEvents(HostConfig c) {
        return new LibvirtDomainEvents(c.connect());
    }

    @Provides
    @Singleton
    Clock clock() {
        return Clock.systemUTC();
    }

    @Provides
    @Singleton
    @Named("network")
    CommandRunner networkRunner(HostConfig c) {
        return new ProcessCommandRunner(c.networkCommandPrefix());
    }

    @Provides
    @Singleton
    @Named("local")
    CommandRunner localRunner() {
        return new ProcessCommandRunner(List.of());
    }

    @Provides
    @Singleton
    VlanNetwork vlanNetwork(@Named("network") CommandRunner runner) {
        return new IpRouteVlanNetwork(runner);
    }

    @Provides
    @Singleton
    AppArmorRule appArmorRule(HostConfig c, @Named("local") CommandRunner runner) {
        return new AppArmorRule(c, runner);
    }

    @Provides
    @Singleton
    OverlayDisk overlayDisk(@Named("local") CommandRunner runner) {
        return new OverlayDisk(runner);
    }

    @Provides
    @Singleton
    ImageStore imageStore(HostConfig c, OverlayDisk qemuImg, @Named("local") CommandRunner runner, Clock clock) {
        return new ImageStore(c.imageDir(), qemuImg, runner, clock);
    }

    @Provides
    @Singleton
    ImageReferences imageReferences(HostConfig c, Clock clock) {
        return new ImageReferences(c.shareRoot(), clock);
    }
}
