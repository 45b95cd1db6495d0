package io.headnode.power.amt;

import io.headnode.common.xml.SecureXml;
import java.util.Map;
import java.util.UUID;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** WS-Management (DMTF DSP0226) SOAP 1.2 envelopes as Intel AMT speaks them, and reading their answers. */
public final class Wsman {
    public static final String SOAP = "http://www.w3.org/2003/05/soap-envelope";
    public static final String WSA = "http://schemas.xmlsoap.org/ws/2004/08/addressing";
    public static final String WSMAN = "http://schemas.dmtf.org/wbem/wsman/1/wsman.xsd";
    public static final String ANONYMOUS = WSA + "/role/anonymous";
    public static final String TRANSFER_GET = "http://schemas.xmlsoap.org/ws/2004/09/transfer/Get";
    public static final String CIM = "http://schemas.dmtf.org/wbem/wscim/1/cim-schema/2/";
    public static final String POWER_SERVICE = CIM + "CIM_PowerManagementService";
    public static final String ASSOCIATED_POWER = CIM + "CIM_AssociatedPowerManagementService";
    public static final String COMPUTER_SYSTEM = CIM + "CIM_ComputerSystem";
    public static final String BOOT_CONFIG = CIM + "CIM_BootConfigSetting";
    public static final String BOOT_SOURCE = CIM + "CIM_BootSourceSetting";
    public static final String BOOT_SERVICE = CIM + "CIM_BootService";

    private Wsman() {
    }

    /** A request: action, resource, selectors, body; {@code messageId} to check the answer's RelatesTo. */
    public record Request(String messageId, String xml) {
    }

    public static Request request(String to, String action, String resourceUri, Map<String, String> selectors, String body) {
        String id = "uuid:" + UUID.randomUUID();
        StringBuilder b = new StringBuilder(1024);
        b.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>")
                .append("<s:Envelope xmlns:s=\"").append(SOAP).append("\" xmlns:wsa=\"").append(WSA).append("\" xmlns:wsman=\"").append(WSMAN).append("\">")
                .append("<s:Header>")
                .append("<wsa:Action s:mustUnderstand=\"true\">").append(esc(action)).append("</wsa:Action>")
                .append("<wsa:To s:mustUnderstand=\"true\">").append(esc(to)).append("</wsa:To>")
                .append("<wsman:ResourceURI s:mustUnderstand=\"true\">").append(esc(resourceUri)).append("</wsman:ResourceURI>")
                .append("<wsa:MessageID s:mustUnderstand=\"true\">").append(id).append("</wsa:MessageID>")
                .append("<wsa:ReplyTo><wsa:Address>").append(ANONYMOUS).append("</wsa:Address></wsa:ReplyTo>")
                .append("<wsman:OperationTimeout>PT60S</wsman:OperationTimeout>");
        if (!selectors.isEmpty()) {
            b.append("<wsman:SelectorSet>");
            selectors.forEach((k, v) -> b.append("<wsman:Selector Name=\"").append(esc(k)).append("\">").append(esc(v)).append("</wsman:Selector>"));
            b.append("</wsman:SelectorSet>");
        }
        b.append("</s:Header><s:Body>").append(body == null ? "" : body).append("</s:Body></s:Envelope>");
        return new Request(id, b.toString());
    }

    /** An endpoint reference to an instance, as method parameters carry it. */
    public static String reference(String resourceUri, Map<String, String> selectors) {
        StringBuilder b = new StringBuilder("<wsa:Address>").append(ANONYMOUS).append("</wsa:Address><wsa:ReferenceParameters>")
                .append("<wsman:ResourceURI>").append(esc(resourceUri)).append("</wsman:ResourceURI><wsman:SelectorSet>");
        selectors.forEach((k, v) -> b.append("<wsman:Selector Name=\"").append(esc(k)).append("\">").append(esc(v)).append("</wsman:Selector>"));
        return b.append("</wsman:SelectorSet></wsa:ReferenceParameters>").toString();
    }

    public static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** Parses XML with DTDs and external entities off. */
    public static Document parse(String xml) throws IllegalArgumentException {
        return SecureXml.parse(xml, true);
    }

    /** Text of the first element with this namespace and local name anywhere in the document, or null. */
    public static String text(Document d, String ns, String local) {
        NodeList l = d.getElementsByTagNameNS(ns, local);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
    }

    /** Text of the first element with this local name in any namespace, or null. */
    public static String anyText(Document d, String local) {
        NodeList l = d.getElementsByTagNameNS("*", local);
        return l.getLength() == 0 ? null : l.item(0).getTextContent().strip();
    }

    public static boolean isEnvelope(Document d) {
        Element root = d.getDocumentElement();
        return SOAP.equals(root.getNamespaceURI()) && "Envelope".equals(root.getLocalName());
    }
}
