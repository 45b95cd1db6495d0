package io.headnode.orchestrator.libvirt;

import java.util.List;
import java.util.Optional;

/**
 * The few libvirt operations headnode needs, behind our own interface (libvirt-java is C-shaped and leaks native
 * handles unless freed). Every failure is a {@link HypervisorException} classified by libvirt's error code.
 */
public interface Hypervisor extends AutoCloseable {
    /** The domain of that name, or empty when libvirt has none. */
    Optional<DomainStatus> lookup(String name);

    /** Defines (or redefines, same name and uuid) a persistent domain. */
    void define(String xml);

    void start(String name);

    /** Hard stop; a domain that is not running is left alone. */
    void destroy(String name);

    void resume(String name);

    /** Removes the persistent definition; a missing domain is not an error. */
    void undefine(String name);

    void setAutostart(String name, boolean autostart);

    /** Names of all domains, running or only defined. */
    List<String> domainNames();

    String uri();

    @Override
    void close();
}
