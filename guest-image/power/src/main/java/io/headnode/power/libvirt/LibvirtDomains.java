package io.headnode.power.libvirt;

import io.headnode.power.BootDevice;
import io.headnode.power.PowerState;

/** The few libvirt operations power control needs, on a domain named on a libvirt URI. Our own interface over libvirt-java. */
public interface LibvirtDomains {
    PowerState state(String uri, String domain) throws LibvirtFailure;

    /** Starts a defined, shut-off domain. */
    void start(String uri, String domain) throws LibvirtFailure;

    /** Hard power off (virDomainDestroy). */
    void destroy(String uri, String domain) throws LibvirtFailure;

    /** Hard reset of a running domain (virDomainReset). */
    void reset(String uri, String domain) throws LibvirtFailure;

    /** Persistent boot device in the domain's definition (takes effect at the next start). */
    void setBootDevice(String uri, String domain, BootDevice device) throws LibvirtFailure;
}
