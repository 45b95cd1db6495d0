package io.headnode.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import io.headnode.agent.dhcp.AddressBook;
import io.headnode.agent.install.InstallManager;
import io.headnode.agent.install.InstallStore;
import io.headnode.agent.install.RequestSpool;
import io.headnode.agent.render.Templates;
import io.headnode.agent.share.ShareMounter;
import io.headnode.agent.share.ShareReader;
import io.headnode.agent.status.StatusPublisher;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.ProcessCommandRunner;
import io.headnode.contract.ShareLayout;
import io.headnode.power.PowerService;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.Executors;

/**
 * Binds the agent's parts. No I/O here: providers only construct. The DHCP backend comes from {@link DhcpModule},
 * PowerService from the power module ({@link io.headnode.agent.power.PowerPlug}), which also binds ShareLayout.
 */
public final class AgentModule extends AbstractModule {
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
    ShareMounter shareMounter(AgentConfig c, CommandRunner runner) {
        return new ShareMounter(runner, c.mount(), c.shareMount(), c.mountInfo());
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

    @Provides
    @Singleton
    InstallManager installManager(AgentConfig c, PowerService power, Templates templates, Clock clock) {
        return new InstallManager(c, power, templates, new PxeConfigs(c.pxelinuxCfg()), new InstallStore(c.stateDir().resolve("installs.json")),
                clock, Executors.newFixedThreadPool(4, r -> {
                    Thread t = new Thread(r, "power");
                    t.setDaemon(true);
                    return t;
                }));
    }

    @Provides
    @Singleton
    StatusPublisher statusPublisher(AgentConfig c, Clock clock) {
        return new StatusPublisher(c.statusPort(), c.statusFile(), c.statusInterval(), clock);
    }
}
