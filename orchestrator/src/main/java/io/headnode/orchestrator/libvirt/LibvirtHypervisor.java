package io.headnode.orchestrator.libvirt;

import io.headnode.orchestrator.libvirt.HypervisorException.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.Library;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Hypervisor} on libvirt-java. One connection, used from one thread at a time (methods are synchronized);
 * every {@link Domain} handle is freed in a finally block.
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
            Kind k = w.kind() == Kind.PERMISSION_DENIED ? Kind.PERMISSION_DENIED : Kind.CANNOT_CONNECT;
            throw new HypervisorException(k, w.getMessage() + (k == Kind.CANNOT_CONNECT ? " (is libvirtd running?)" : ""), e);
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
        Domain d = null;
        try {
            d = conn().domainLookupByName(name);
            DomainInfo info = d.getInfo();
            boolean persistent = d.isPersistent() == 1;
            return Optional.of(new DomainStatus(d.getName(), d.getUUIDString(), map(info.state), persistent && d.getAutostart(),
                    persistent, d.getXMLDesc(XML_INACTIVE)));
        } catch (LibvirtException e) {
            HypervisorException w = LibvirtErrors.wrap("cannot look up domain " + name, e);
            if (w.kind() == Kind.NO_DOMAIN) {
                return Optional.empty();
            }
            throw w;
        } finally {
            free(d);
        }
    }

    @Override
    public synchronized void define(String xml) {
        Domain d = null;
        try {
            d = conn().domainDefineXML(xml);
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
            return 0;
        });
    }

    @Override
    public synchronized void resume(String name) {
        withDomain(name, "resume", d -> {
            d.resume();
            return 0;
        });
    }

    @Override
    public synchronized void undefine(String name) {
        try {
            withDomain(name, "undefine", d -> {
                d.undefine();
                return 0;
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
            return 0;
        });
    }

    @Override
    public synchronized List<String> domainNames() {
        try {
            List<String> names = new ArrayList<>(List.of(conn().listDefinedDomains()));
            for (int id : conn().listDomains()) {
                Domain d = null;
                try {
                    d = conn().domainLookupByID(id);
                    names.add(d.getName());
                } catch (LibvirtException e) {
                    if (LibvirtErrors.wrap("", e).kind() != Kind.NO_DOMAIN) {
                        throw e;
                    }
                } finally {
                    free(d);
                }
            }
            return names;
        } catch (LibvirtException e) {
            throw LibvirtErrors.wrap("cannot list domains", e);
        }
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
            throw new IllegalStateException("connection to " + uri + " is closed");
        }
        return conn;
    }

    private interface DomainCall {
        int call(Domain d) throws LibvirtException;
    }

    private void withDomain(String name, String what, DomainCall call) {
        Domain d = null;
        try {
            d = conn().domainLookupByName(name);
            call.call(d);
        } catch (LibvirtException e) {
            throw LibvirtErrors.wrap("cannot " + what + " domain " + name, e);
        } finally {
            free(d);
        }
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

    private static RunState map(DomainInfo.DomainState s) {
        return switch (s) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> RunState.RUNNING;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> RunState.PAUSED;
            case VIR_DOMAIN_SHUTOFF -> RunState.SHUTOFF;
            case VIR_DOMAIN_CRASHED -> RunState.CRASHED;
            default -> RunState.OTHER;
        };
    }
}
