package io.headnode.common.libvirt;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The libvirt operations headnode needs (orchestrator, power, lab), behind our own interface: libvirt-java is
 * C-shaped and leaks native handles unless freed. Every failure is a {@link HypervisorException} classified by
 * libvirt's error code. Operations on a missing domain throw {@link HypervisorException.Kind#NO_DOMAIN} unless
 * documented otherwise.
 */
public interface Hypervisor extends AutoCloseable {
    /** The domain of that name, or empty when libvirt has none. */
    Optional<DomainStatus> lookup(String name);

    /** The domain's state alone (cheaper than {@link #lookup}: no XML). */
    RunState state(String name);

    /** Defines (or redefines, same name and uuid) a persistent domain; returns it as defined. */
    DomainStatus define(String xml);

    /** Starts a defined, shut-off domain. */
    void start(String name);

    /** Hard stop (virDomainDestroy); a domain that is not running is left alone. */
    void destroy(String name);

    /** Hard reset of a running domain (virDomainReset). */
    void reset(String name);

    void resume(String name);

    /** Removes the persistent definition; a missing domain is not an error. */
    void undefine(String name);

    void setAutostart(String name, boolean autostart);

    /**
     * Sets the domain-wide boot device ({@code <os><boot dev=.../>}, alone) in the persistent definition: it takes
     * effect at the next start. Refused ({@link HypervisorException.Kind#UNSUPPORTED}) for a domain that orders boot
     * per device.
     */
    void setBootDevice(String name, BootDevice device);

    /** Names of all domains, running or only defined. */
    List<String> domainNames();

    /** Names of the running domains ({@link RunState#RUNNING}; not paused or shut off ones), in one listing. */
    List<String> runningDomainNames();

    /** Every domain's inactive XML by name, in one listing (no lookup per domain). */
    Map<String, String> inactiveXmlByName();

    String uri();

    @Override
    void close();
}
