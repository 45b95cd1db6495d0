package io.headnode.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.headnode.agent.apply.ApplyPipeline;
import io.headnode.agent.apply.DaemonsStep;
import io.headnode.agent.apply.DhcpStep;
import io.headnode.agent.apply.FirewallStep;
import io.headnode.agent.apply.HttpStep;
import io.headnode.agent.apply.InstallsStep;
import io.headnode.agent.apply.NetworkStep;
import io.headnode.agent.apply.ProfileStep;
import io.headnode.agent.apply.TftpStep;
import io.headnode.agent.dhcp.AddressBook;
import io.headnode.agent.dhcp.DhcpBackend;
import io.headnode.agent.install.InstallMachine;
import io.headnode.agent.install.InstallStore;
import io.headnode.agent.install.InstallTemplates;
import io.headnode.agent.install.Installs;
import io.headnode.agent.install.PowerDispatch;
import io.headnode.agent.install.PxeSync;
import io.headnode.agent.install.RequestSpool;
import io.headnode.agent.install.Tokens;
import io.headnode.agent.metrics.AgentMetrics;
import io.headnode.agent.net.Firewall;
import io.headnode.agent.net.NeighbourTable;
import io.headnode.agent.net.Neighbours;
import io.headnode.agent.net.NetworkSetup;
import io.headnode.agent.net.ServiceDaemons;
import io.headnode.agent.power.PowerSettingsWatch;
import io.headnode.agent.render.Templates;
import io.headnode.agent.share.ShareMounter;
import io.headnode.agent.apply.ImageShareStep;
import io.headnode.contract.ImageCatalog;
import io.headnode.agent.share.ShareReader;
import io.headnode.agent.ssh.AuthorizedKeysStep;
import io.headnode.agent.ssh.HostKeys;
import io.headnode.agent.ssh.SshAccessWatch;
import io.headnode.agent.status.StatusPublisher;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.common.iproute.IpRoute;
import io.headnode.agent.tftp.TftpTree;
import io.headnode.contract.ShareLayout;
import io.headnode.power.PowerService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;

/**
 * Binds the agent's parts. No I/O here: providers only construct. The DHCP backend comes from {@link DhcpModule},
 * PowerService from the power module ({@link io.headnode.agent.power.PowerPlug}), which also binds ShareLayout.
 */
public final class AgentModule extends AbstractModule {
    /** How long a failed apply step waits before it is tried again with the same share. */
    static final Duration STEP_BACKOFF = Duration.ofSeconds(30);
    private final AgentConfig config;

    public AgentModule(AgentConfig config) {
        this.config = Objects.requireNonNull(config, "config is null");
    }

    @Override
    protected void configure() {
        bind(AgentConfig.class).toInstance(config);
        bind(Clock.class).toInstance(Clock.systemUTC());
        bind(CommandRunner.class).toInstance(new ProcessCommandRunner());
    }

    @Provides
    @Singleton
    Templates templates(AgentConfig c) {
        return new Templates(c.templatesDir());
    }

    @Provides
    @Singleton
    ShareReader shareReader(AgentConfig c) {
        return new ShareReader(new ShareLayout(c.shareMount()));
    }

    @Provides
    @Singleton
    PowerSettingsWatch powerSettingsWatch(AgentConfig c) {
        return new PowerSettingsWatch(new ShareLayout(c.shareMount()));
    }

    @Provides
    @Singleton
    ShareMounter shareMounter(AgentConfig c, CommandRunner runner, Clock clock) {
        return new ShareMounter(runner, c.mount(), c.shareMount(), c.mountInfo(), clock);
    }

    @Provides
    @Singleton
    AddressBook addressBook(AgentConfig c) {
        return new AddressBook(c.stateDir().resolve("addresses.txt"));
    }

    @Provides
    @Singleton
    RequestSpool requestSpool(AgentConfig c) {
        return new RequestSpool(new ShareLayout(c.shareMount()).requests(), c.localRequests());
    }

    /** Installs: state written by one "install-disk" thread, power cycles on up to four "power" threads. */
    @Provides
    @Singleton
    Installs installs(AgentConfig c, PowerService power, Templates templates, Clock clock) {
        InstallTemplates t = new InstallTemplates(templates, c.httpPort());
        return new Installs(new InstallMachine(Tokens::newToken), new InstallStore(c.stateDir().resolve("installs.json")),
                new PxeSync(new PxeConfigs(c.pxelinuxCfg()), PxeConfigs.grub(c.grubDir()), t),
                new PowerDispatch(power, Executors.newFixedThreadPool(4, daemon("power"))), t, clock,
                Executors.newSingleThreadExecutor(daemon("install-disk")));
    }

    /** Who holds which address on the private VLAN (the kernel's neighbour table), for the kickstart and callback routes. */
    @Provides
    @Singleton
    Neighbours neighbours(AgentConfig c, CommandRunner runner) {
        return new NeighbourTable(new IpRoute(runner, c.ip()), c.privateInterface());
    }

    /** The apply steps, in order. */
    @Provides
    @Singleton
    ApplyPipeline applyPipeline(AgentConfig c, Templates templates, NetworkSetup network, AddressBook addresses, DhcpBackend dhcp,
                                TftpTree tftp, ServiceDaemons daemons, Installs installs, Firewall firewall,
                                Neighbours neighbours, AgentMetrics metrics, SshAccessWatch ssh, CommandRunner runner, Clock clock) {
        DhcpStep dhcpStep = new DhcpStep(c, addresses, dhcp);
        return new ApplyPipeline(List.of(new ProfileStep(c, templates), new NetworkStep(c, network), dhcpStep, new TftpStep(tftp),
                new DaemonsStep(daemons), new InstallsStep(installs, dhcpStep), new HttpStep(c, installs, neighbours, metrics),
                new ImageShareStep(new ShareMounter(runner, ImageCatalog.MOUNT_TAG, ImageShareStep.MOUNT_OPTIONS, c.mount(), c.imageMount(), c.mountInfo(), clock),
                        c.imageMount(), c.mountShare()),
                new FirewallStep(c, firewall), new AuthorizedKeysStep(c.authorizedKeys(), ssh)),
                STEP_BACKOFF);
    }

    /** The public addresses and host keys the status reports for ssh. */
    @Provides
    @Singleton
    SshAccessWatch sshAccess(AgentConfig c, CommandRunner runner) {
        return new SshAccessWatch(new IpRoute(runner, c.ip()), c.publicInterface(), new HostKeys(c.sshHostKeyDir()));
    }

    @Provides
    @Singleton
    StatusPublisher statusPublisher(AgentConfig c, Clock clock) {
        return new StatusPublisher(c.statusPort(), c.statusFile(), c.statusInterval(), clock);
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }
}
