package io.headnode.common.libvirt;

import io.headnode.common.libvirt.HypervisorException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.Library;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Hypervisor} on libvirt-java. One connection, used by one thread at a time (every method is synchronized:
 * a {@link Connect} is not safe to share, and libvirt keeps its last error per thread); every {@link Domain}
 * handle is freed in a finally block.
 */
public final class LibvirtHypervisor implements Hypervisor {
    private static final Logger log = LoggerFactory.getLogger(LibvirtHypervisor.class);
    /** VIR_DOMAIN_XML_INACTIVE: the persistent definition, not the live one. */
    private static final int XML_INACTIVE = 2;
    private final String uri;
    private Connect conn;

    private LibvirtHypervisor(String uri, Connect conn) {
        this.uri = uri;
        this.conn = conn;
    }

    /** Probes the library (so a missing libvirt0 fails fast and clearly), then connects. */
    public static LibvirtHypervisor connect(String uri) {
        long version = probeLibrary();
        try {
            Connect.setErrorCallback((userData, error) -> {
                // errors are reported through exceptions; keep libvirt's default handler from printing to stderr
            });
        } catch (LibvirtException | RuntimeException e) {
            log.debug("cannot silence libvirt's error printer: {}", e.toString());
        }
        try {
            Connect c = new Connect(uri, false);
            log.debug("connected to {} (libvirt {})", uri, version);
            return new LibvirtHypervisor(uri, c);
        } catch (LibvirtException e) {
            HypervisorException w = LibvirtErrors.wrap("cannot connect to libvirt at " + uri, e);
            if (w.kind() == Kind.PERMISSION_DENIED) {
                throw w;
            }
            throw new HypervisorException(Kind.CANNOT_CONNECT, w.getMessage() + " (is libvirtd running?)", e);
        }
    }

    /** libvirt's version as major*1000000+minor*1000+micro; throws LIBRARY_MISSING when libvirt.so.0 cannot load. */
    public static long probeLibrary() {
        try {
            return Library.getVersion();
        } catch (LibvirtException e) {
            throw LibvirtErrors.wrap("libvirt library probe failed", e);
        } catch (LinkageError e) {
            throw new HypervisorException(Kind.LIBRARY_MISSING,
                    "libvirt0 is not installed (cannot load libvirt.so.0): apt-get install libvirt0", e);
        }
    }

    @Override
    public synchronized Optional<DomainStatus> lookup(String name) {
        try {
            return Optional.of(withDomain(name, "look up", LibvirtHypervisor::status));
        } catch (HypervisorException e) {
            if (e.kind() == Kind.NO_DOMAIN) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public synchronized RunState state(String name) {
        return withDomain(name, "read the state of", d -> map(d.getInfo().state));
    }

    @Override
    public synchronized DomainStatus define(String xml) {
        Domain d = null;
        try {
            d = conn().domainDefineXML(xml);
            return status(d);
        } catch (LibvirtException e) {
            throw LibvirtErrors.wrap("cannot define domain", e);
        } finally {
            free(d);
        }
    }

    @Override
    public synchronized void start(String name) {
        withDomain(name, "start", Domain::create);
    }

    @Override
    public synchronized void destroy(String name) {
        withDomain(name, "stop", d -> {
            if (d.isActive() == 1) {
                d.destroy();
            }
            return null;
        });
    }

    @Override
    public synchronized void reset(String name) {
        withDomain(name, "reset", d -> {
            d.reset();
            return null;
        });
    }

    @Override
    public synchronized void resume(String name) {
        withDomain(name, "resume", d -> {
            d.resume();
            return null;
        });
    }

    @Override
    public synchronized void undefine(String name) {
        try {
            withDomain(name, "undefine", d -> {
                d.undefine();
                return null;
            });
        } catch (HypervisorException e) {
            if (e.kind() != Kind.NO_DOMAIN) {
                throw e;
            }
        }
    }

    @Override
    public synchronized void setAutostart(String name, boolean autostart) {
        withDomain(name, "set autostart of", d -> {
            d.setAutostart(autostart);
            return null;
        });
    }

    @Override
    public synchronized void setBootDevice(String name, BootDevice device) {
        withDomain(name, "set the boot device of", d -> {
            String xml = BootDeviceXml.withBootDevice(d.getXMLDesc(XML_INACTIVE), device, name);
            free(conn().domainDefineXML(xml));
            return null;
        });
    }

    @Override
    public synchronized List<String> domainNames() {
        List<String> names = new ArrayList<>();
        forEachDomain("list domains", d -> names.add(d.getName()));
        return names;
    }

    @Override
    public synchronized List<String> runningDomainNames() {
        List<String> names = new ArrayList<>();
        forEachDomain("list running domains", Connect.ConnectListAllDomainsFlags.CONNECT_LIST_DOMAINS_RUNNING, d -> names.add(d.getName()));
        return names;
    }

    @Override
    public synchronized Map<String, String> inactiveXmlByName() {
        Map<String, String> xml = new TreeMap<>();
        forEachDomain("read the domains' XML", d -> xml.put(d.getName(), d.getXMLDesc(XML_INACTIVE)));
        return xml;
    }

    @Override
    public String uri() {
        return uri;
    }

    @Override
    public synchronized void close() {
        if (conn != null) {
            try {
                conn.close();
            } catch (LibvirtException e) {
                log.debug("closing {}: {}", uri, e.toString());
            }
            conn = null;
        }
    }

    private Connect conn() {
        if (conn == null) {
            throw new HypervisorException(HypervisorException.Kind.CANNOT_CONNECT, "connection to " + uri + " is closed", null);
        }
        return conn;
    }

    private interface DomainCall<T> {
        T call(Domain d) throws LibvirtException;
    }

    private interface DomainVisit {
        void visit(Domain d) throws LibvirtException;
    }

    private <T> T withDomain(String name, String what, DomainCall<T> call) {
        Domain d = null;
        try {
            d = conn().domainLookupByName(name);
            return call.call(d);
        } catch (LibvirtException e) {
            throw LibvirtErrors.wrap("cannot " + what + " domain " + name, e);
        } finally {
            free(d);
        }
    }

    /** Visits every domain from one listing; a domain that vanishes meanwhile is skipped. Frees every handle. */
    private void forEachDomain(String what, DomainVisit visit) {
        forEachDomain(what, 0, visit);
    }

    /** As {@link #forEachDomain(String, DomainVisit)}, for the domains libvirt's listing flags select. */
    private void forEachDomain(String what, int flags, DomainVisit visit) {
        Domain[] all;
        try {
            all = conn().listAllDomains(flags);
        } catch (LibvirtException e) {
            throw LibvirtErrors.wrap("cannot " + what, e);
        }
        try {
            for (Domain d : all) {
                try {
                    visit.visit(d);
                } catch (LibvirtException e) {
                    HypervisorException w = LibvirtErrors.wrap("cannot " + what, e);
                    if (w.kind() != Kind.NO_DOMAIN) {
                        throw w;
                    }
                }
            }
        } finally {
            for (Domain d : all) {
                free(d);
            }
        }
    }

    private static DomainStatus status(Domain d) throws LibvirtException {
        boolean persistent = d.isPersistent() == 1;
        return new DomainStatus(d.getName(), d.getUUIDString(), map(d.getInfo().state), persistent && d.getAutostart(),
                persistent, d.getXMLDesc(XML_INACTIVE));
    }

    private static void free(Domain d) {
        if (d != null) {
            try {
                d.free();
            } catch (LibvirtException e) {
                log.debug("freeing a domain handle: {}", e.toString());
            }
        }
    }

    static RunState map(DomainInfo.DomainState s) {
        return switch (s) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> RunState.RUNNING;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> RunState.PAUSED;
            case VIR_DOMAIN_SHUTDOWN -> RunState.SHUTTING_DOWN;
            case VIR_DOMAIN_SHUTOFF -> RunState.SHUTOFF;
            case VIR_DOMAIN_CRASHED -> RunState.CRASHED;
            default -> RunState.OTHER;
        };
    }
}
