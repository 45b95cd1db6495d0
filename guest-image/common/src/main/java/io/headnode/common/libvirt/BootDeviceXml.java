package io.headnode.common.libvirt;

import io.headnode.common.libvirt.HypervisorException.Kind;
import io.headnode.common.xml.SecureXml;
import java.io.StringWriter;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The edit behind {@link Hypervisor#setBootDevice}: a domain XML with {@code <os><boot dev=.../>} set to one device. */
final class BootDeviceXml {
    private BootDeviceXml() {
    }

    static String withBootDevice(String xml, BootDevice device, String domain) {
        Document doc = parse(xml, domain);
        NodeList os = doc.getDocumentElement().getElementsByTagName("os");
        if (os.getLength() == 0) {
            throw new HypervisorException(Kind.UNSUPPORTED, "domain " + domain + " has no <os> element; boot device not changed", null);
        }
        Element osElement = (Element) os.item(0);
        NodeList boots = doc.getElementsByTagName("boot");
        for (int i = boots.getLength() - 1; i >= 0; i--) {
            Element b = (Element) boots.item(i);
            if (b.getParentNode() == osElement) {
                osElement.removeChild(b);
            } else if (b.hasAttribute("order")) {
                throw new HypervisorException(Kind.UNSUPPORTED,
                        "domain " + domain + " orders boot per device (<boot order=...>); boot device not changed", null);
            }
        }
        Element boot = doc.createElement("boot");
        boot.setAttribute("dev", device.xmlName());
        osElement.appendChild(boot);
        return serialize(doc, domain);
    }

    private static Document parse(String xml, String domain) {
        try {
            return SecureXml.parse(xml, false);
        } catch (IllegalArgumentException e) {
            throw new HypervisorException(Kind.BAD_XML, "cannot parse the XML of domain " + domain + ": " + e.getMessage(), e);
        }
    }

    private static String serialize(Document doc, String domain) {
        try {
            Transformer t = TransformerFactory.newInstance().newTransformer();
            t.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter w = new StringWriter();
            t.transform(new DOMSource(doc), new StreamResult(w));
            return w.toString();
        } catch (Exception e) {
            throw new HypervisorException(Kind.OTHER, "cannot write the XML of domain " + domain + ": " + e.getMessage(), e);
        }
    }
}
