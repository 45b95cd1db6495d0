package io.headnode.agent;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import io.headnode.agent.dhcp.DhcpBackend;
import io.headnode.agent.dhcp.IscDhcpBackend;

/** The DHCP backend: ISC dhcpd. A Kea module would bind {@link DhcpBackend} to its own class instead. */
public final class DhcpModule extends AbstractModule {
    @Override
    protected void configure() {
        bind(DhcpBackend.class).to(IscDhcpBackend.class).in(Singleton.class);
    }
}
