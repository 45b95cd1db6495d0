package io.headnode.power.libvirt;

import io.headnode.power.BootDevice;
import io.headnode.power.PowerState;
import java.io.StringWriter;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * {@link LibvirtDomains} with libvirt-java: one connection per URI (calls on it serialized), every domain handle freed in finally,
 * errors classified by {@code e.getError().getCode()}. Library.getVersion() is probed once, so a missing
 * libvirt0 is a clear failure rather than a crash in JNA.
 */
public final class JavaLibvirtDomains implements LibvirtDomains {
    private static final int XML_INACTIVE = 2;
    private volatile boolean probed;

    private interface DomainCall<T> {
        T run(Connect c, Domain d) throws LibvirtException, LibvirtFailure;
    }

    private void probe() throws LibvirtFailure {
        if (probed) {
            return;
        }
        try {
            Library.getVersion();
            probed = true;
        } catch (LibvirtException | LinkageError e) {
            throw new LibvirtFailure(LibvirtFailure.Kind.UNAVAILABLE, "libvirt is not usable here (libvirt0 missing?): " + e, e);
        }
    }

    /** One open connection per URI, used by one thread at a time; dropped when libvirt reports it broken. */
    private final java.util.Map<String, Connect> connections = new java.util.HashMap<>();
    private final java.util.Map<String, Object> locks = new java.util.concurrent.ConcurrentHashMap<>();

    private <T> T withDomain(String uri, String name, DomainCall<T> call) throws LibvirtFailure {
        probe();
        synchronized (locks.computeIfAbsent(uri, u -> new Object())) {
            Domain d = null;
            Connect c;
            try {
                c = connection(uri);
            } catch (LibvirtException e) {
                LibvirtFailure f = classify(e, uri, name);
                throw new LibvirtFailure(f.kind() == LibvirtFailure.Kind.AUTH ? f.kind() : LibvirtFailure.Kind.NO_CONNECTION,
                        "cannot connect to " + uri + ": " + f.getMessage(), e);
            }
            try {
                d = c.domainLookupByName(name);
                return call.run(c, d);
            } catch (LibvirtException e) {
                LibvirtFailure f = classify(e, uri, name);
                if (f.kind() == LibvirtFailure.Kind.NO_CONNECTION) {
                    drop(uri);
                }
                throw f;
            } finally {
                if (d != null) {
                    try {
                        d.free();
                    } catch (LibvirtException e) {
                        // nothing more to free
                    }
                }
            }
        }
    }

    private Connect connection(String uri) throws LibvirtException {
        synchronized (connections) {
            Connect c = connections.get(uri);
            if (c == null) {
                c = new Connect(uri);
                connections.put(uri, c);
            }
            return c;
        }
    }

    private void drop(String uri) {
        Connect c;
        synchronized (connections) {
            c = connections.remove(uri);
        }
        if (c != null) {
            try {
                c.close();
            } catch (LibvirtException e) {
                // already broken
            }
        }
    }

    /** Closes every open connection. */
    public void close() {
        for (String uri : java.util.List.copyOf(connections.keySet())) {
            drop(uri);
        }
    }

    static LibvirtFailure classify(LibvirtException e, String uri, String name) {
        ErrorNumber code = e.getError() == null ? null : e.getError().getCode();
        String msg = e.getError() == null ? String.valueOf(e.getMessage()) : e.getError().getMessage();
        LibvirtFailure.Kind kind;
        if (code == null) {
            kind = LibvirtFailure.Kind.OTHER;
        } else {
            kind = switch (code) {
                case VIR_ERR_NO_DOMAIN -> LibvirtFailure.Kind.NO_DOMAIN;
                case VIR_ERR_NO_CONNECT, VIR_ERR_RPC, VIR_ERR_INVALID_CONN -> LibvirtFailure.Kind.NO_CONNECTION;
                case VIR_ERR_NO_SUPPORT -> LibvirtFailure.Kind.UNSUPPORTED;
                case VIR_ERR_AUTH_FAILED, VIR_ERR_AUTH_CANCELLED, VIR_ERR_ACCESS_DENIED -> LibvirtFailure.Kind.AUTH;
                case VIR_ERR_OPERATION_INVALID -> LibvirtFailure.Kind.INVALID_STATE;
                case VIR_ERR_OPERATION_UNSUPPORTED -> LibvirtFailure.Kind.UNSUPPORTED;
                default -> LibvirtFailure.Kind.OTHER;
            };
        }
        return new LibvirtFailure(kind, "domain " + name + " on " + uri + ": " + msg + (code == null ? "" : " [" + code + "]"), e);
    }

    @Override
    public PowerState state(String uri, String domain) throws LibvirtFailure {
        return withDomain(uri, domain, (c, d) -> {
            DomainInfo.DomainState s = d.getInfo().state;
            return switch (s) {
                case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED, VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> PowerState.ON;
                case VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTDOWN, VIR_DOMAIN_CRASHED -> PowerState.OFF;
                default -> PowerState.UNKNOWN;
            };
        });
    }

    @Override
    public void start(String uri, String domain) throws LibvirtFailure {
        withDomain(uri, domain, (c, d) -> d.create());
    }

    @Override
    public void destroy(String uri, String domain) throws LibvirtFailure {
        withDomain(uri, domain, (c, d) -> {
            d.destroy();
            return null;
        });
    }

    @Override
    public void reset(String uri, String domain) throws LibvirtFailure {
        withDomain(uri, domain, (c, d) -> {
            d.reset();
            return null;
        });
    }

    @Override
    public void setBootDevice(String uri, String domain, BootDevice device) throws LibvirtFailure {
        withDomain(uri, domain, (c, d) -> {
            String xml = withBootDevice(d.getXMLDesc(XML_INACTIVE), device, domain);
            Domain redefined = c.domainDefineXML(xml);
            redefined.free();
            return null;
        });
    }

    /** The domain XML with {@code <os><boot dev=.../>} set to the device alone. */
    static String withBootDevice(String xml, BootDevice device, String domain) throws LibvirtFailure {
        try {
            Document doc = io.headnode.power.amt.Wsman.parse(xml);
            NodeList bootOrders = doc.getElementsByTagName("boot");
            Element os = (Element) doc.getDocumentElement().getElementsByTagName("os").item(0);
            if (os == null) {
                throw new LibvirtFailure(LibvirtFailure.Kind.UNSUPPORTED, "domain " + domain + " has no <os> element", null);
            }
            for (int i = bootOrders.getLength() - 1; i >= 0; i--) {
                Element b = (Element) bootOrders.item(i);
                if (b.getParentNode() == os) {
                    os.removeChild(b);
                } else if (b.hasAttribute("order")) {
                    throw new LibvirtFailure(LibvirtFailure.Kind.UNSUPPORTED,
                            "domain " + domain + " orders boot per device (<boot order=...>); not changed", null);
                }
            }
            Element boot = doc.createElement("boot");
            boot.setAttribute("dev", device == BootDevice.PXE ? "network" : "hd");
            os.appendChild(boot);
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (LibvirtFailure e) {
            throw e;
        } catch (Exception e) {
            throw new LibvirtFailure(LibvirtFailure.Kind.OTHER, "cannot edit the XML of domain " + domain + ": " + e.getMessage(), e);
        }
    }
}
