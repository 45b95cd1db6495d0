package io.headnode.power.amt;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.headnode.power.FakeHttp;
import io.headnode.power.http.Digest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.w3c.dom.Document;

/**
 * A fake Intel AMT on loopback (test scope): HTTP digest auth (MD5, qop=auth) like AMT's, and three of its
 * protocols over one port: the web UI's /remote.htm + /remoteform (the seed's), WS-Management at /wsman
 * (SOAP 1.2, DSP0226 addressing; CIM_AssociatedPowerManagementService Get, RequestPowerStateChange,
 * ChangeBootOrder, SetBootConfigRole), and the older EOI SOAP services amttool speaks (RemoteControlService,
 * SecurityAdministrationService, NetworkAdministrationService). Latency, 500s and slow answers can be injected.
 */
public final class FakeAmt implements AutoCloseable {
    public static final String REALM = "Digest:6E8B0000000000000000000000000000";
    private static final String EOI = "http://schemas.intel.com/platform/client/";
    private static final SecureRandom RANDOM = new SecureRandom();
    private final HttpServer server;
    private final String user;
    private final String password;
    private final Set<String> nonces = ConcurrentHashMap.newKeySet();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile boolean on;
    private volatile String bootSource = "";
    private volatile String formToken = HexFormat.of().formatHex(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration commandLatency = Duration.ZERO;
    private volatile Duration cycleOffFor = Duration.ZERO;

    private FakeAmt(String user, String password, boolean on, boolean tls) throws IOException {
        this.user = user;
        this.password = password;
        this.on = on;
        if (tls) {
            com.sun.net.httpserver.HttpsServer https = com.sun.net.httpserver.HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
            https.setHttpsConfigurator(new com.sun.net.httpserver.HttpsConfigurator(io.headnode.power.redfish.TestCert.serverContext()));
            server = https;
        } else {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        }
        server.setExecutor(FakeHttp.POOL);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeAmt start(String user, String password, boolean on) {
        try {
            return new FakeAmt(user, password, on, false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The same over TLS (as AMT on 16993), with the test certificate for 127.0.0.1. */
    public static FakeAmt startTls(String user, String password, boolean on) {
        try {
            return new FakeAmt(user, password, on, true);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    public boolean isOn() {
        return on;
    }

    public void setOn(boolean value) {
        on = value;
    }

    public String bootSource() {
        return bootSource;
    }

    /** Commands carried out, e.g. "wsman power 2", "form 3", "eoi 18", "wsman boot Intel(r) AMT: Force PXE Boot". */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public int requests() {
        return requests.get();
    }

    /** Delay before every answer (a real AMT takes 100-500 ms). */
    public FakeAmt latency(Duration d) {
        latency = d;
        return this;
    }

    /** Extra delay before answering a power command. */
    public FakeAmt commandLatency(Duration d) {
        commandLatency = d;
        return this;
    }

    /** How long a power cycle leaves the node off before it is on again (0: at once). */
    public FakeAmt cycleOffFor(Duration d) {
        cycleOffFor = d;
        return this;
    }

    /** The next {@code n} requests are answered HTTP 500 without a body (after authentication). */
    public void failNext(int n) {
        failures.set(n);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            requests.incrementAndGet();
            FakeHttp.sleep(latency);
            if (!authorized(ex)) {
                String nonce = HexFormat.of().formatHex(bytes(16));
                nonces.add(nonce);
                ex.getResponseHeaders().add("WWW-Authenticate", "Digest realm=\"" + REALM + "\", nonce=\"" + nonce
                        + "\", stale=\"false\", qop=\"auth\"");
                FakeHttp.body(ex);
                FakeHttp.reply(ex, 401, "text/html", "<html><body>Unauthorized</body></html>");
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                FakeHttp.body(ex);
                FakeHttp.reply(ex, 500, null, null);
                return;
            }
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/remote.htm" -> remotePage(ex);
                case "/remoteform" -> remoteForm(ex);
                case "/wsman" -> wsman(ex);
                case "/RemoteControlService", "/SecurityAdministrationService", "/NetworkAdministrationService" -> eoi(ex, path.substring(1));
                default -> FakeHttp.reply(ex, 404, "text/html", "<html><body>Not found</body></html>");
            }
        } catch (RuntimeException e) {
            FakeHttp.reply(ex, 500, "text/plain", "fake failed: " + e);
        }
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.regionMatches(true, 0, "Digest ", 0, 7)) {
            return false;
        }
        Map<String, String> p = Digest.params(h.substring(7));
        if (!user.equals(p.get("username")) || !REALM.equals(p.get("realm")) || !nonces.contains(p.get("nonce"))) {
            return false;
        }
        String uri = p.get("uri");
        if (uri == null || !uri.equals(ex.getRequestURI().getRawPath())) {
            return false;
        }
        String ha1 = Digest.hash("MD5", user + ":" + REALM + ":" + password);
        String ha2 = Digest.hash("MD5", ex.getRequestMethod() + ":" + uri);
        String expected = "auth".equals(p.get("qop"))
                ? Digest.hash("MD5", ha1 + ":" + p.get("nonce") + ":" + p.get("nc") + ":" + p.get("cnonce") + ":auth:" + ha2)
                : Digest.hash("MD5", ha1 + ":" + p.get("nonce") + ":" + ha2);
        return expected.equals(p.get("response"));
    }

    // ---- web UI -------------------------------------------------------------------------------------------

    private void remotePage(HttpExchange ex) throws IOException {
        FakeHttp.reply(ex, 200, "text/html", "<html><head><title>Intel&reg; Active Management Technology</title></head><body>"
                + "<table><tr><td class=r1><p>Power state: " + (on ? "On" : "Off") + "</p></td></tr></table>"
                + "<form METHOD=\"POST\" action=\"/remoteform\"><input type=hidden name=\"t\" value=\"" + formToken + "\">"
                + "<input type=radio name=amt_html_rc_radio_group value=2>Turn power on<br>"
                + "<input type=radio name=amt_html_rc_radio_group value=1>Turn power off<br>"
                + "<input type=radio name=amt_html_rc_radio_group value=3>Cycle power off and on<br>"
                + "<input type=radio name=amt_html_rc_radio_group value=4>Reset<br>"
                + "<select name=amt_html_rc_boot_special><option value=1>Normal boot</option></select>"
                + "<input type=submit value=\"Send Command\"></form></body></html>");
    }

    private void remoteForm(HttpExchange ex) throws IOException {
        if (!ex.getRequestMethod().equals("POST")) {
            FakeHttp.reply(ex, 405, "text/html", "<html><body>POST only</body></html>");
            return;
        }
        Map<String, String> form = new HashMap<>();
        for (String kv : FakeHttp.body(ex).split("&")) {
            int eq = kv.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(kv.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        if (form.containsKey("t") && !form.get("t").equals(formToken) || !"1".equals(form.get("amt_html_rc_boot_special"))) {
            FakeHttp.reply(ex, 200, "text/html", "<html><body>An error occurred: invalid form</body></html>");
            return;
        }
        String radio = form.getOrDefault("amt_html_rc_radio_group", "");
        FakeHttp.sleep(commandLatency);
        switch (radio) {
            case "1" -> on = false;
            case "2" -> on = true;
            case "3", "4" -> {
                if (!on) {
                    FakeHttp.reply(ex, 200, "text/html", "<html><body>An error occurred: the system is off</body></html>");
                    return;
                }
                if (radio.equals("3")) {
                    cycle();
                }
            }
            default -> {
                FakeHttp.reply(ex, 200, "text/html", "<html><body>An error occurred: unknown command</body></html>");
                return;
            }
        }
        log.add("form " + radio);
        FakeHttp.reply(ex, 200, "text/html", "<html><body>Remote command was sent successfully.</body></html>");
    }

    private void cycle() {
        if (cycleOffFor.isZero()) {
            return;
        }
        on = false;
        FakeHttp.POOL.submit(() -> {
            FakeHttp.sleep(cycleOffFor);
            on = true;
        });
    }

    // ---- WS-Management ------------------------------------------------------------------------------------

    private void wsman(HttpExchange ex) throws IOException {
        Document d;
        try {
            d = Wsman.parse(FakeHttp.body(ex));
        } catch (IllegalArgumentException e) {
            FakeHttp.reply(ex, 400, "application/soap+xml", fault("s:Sender", "wsman:SchemaValidationError", "not XML", null));
            return;
        }
        String action = Wsman.text(d, Wsman.WSA, "Action");
        String resource = Wsman.text(d, Wsman.WSMAN, "ResourceURI");
        String messageId = Wsman.text(d, Wsman.WSA, "MessageID");
        if (!Wsman.isEnvelope(d) || action == null || resource == null || messageId == null) {
            FakeHttp.reply(ex, 400, "application/soap+xml", fault("s:Sender", "wsa:InvalidMessageInformationHeader", "missing Action, ResourceURI or MessageID", messageId));
            return;
        }
        String body;
        if (action.equals(Wsman.TRANSFER_GET) && resource.equals(Wsman.ASSOCIATED_POWER)) {
            body = "<h:CIM_AssociatedPowerManagementService xmlns:h=\"" + Wsman.ASSOCIATED_POWER + "\">"
                    + "<h:AvailableRequestedPowerStates>2</h:AvailableRequestedPowerStates>"
                    + "<h:PowerState>" + (on ? 2 : 8) + "</h:PowerState>"
                    + "<h:RequestedPowerState>" + (on ? 2 : 8) + "</h:RequestedPowerState></h:CIM_AssociatedPowerManagementService>";
        } else if (action.equals(Wsman.POWER_SERVICE + "/RequestPowerStateChange") && resource.equals(Wsman.POWER_SERVICE)) {
            FakeHttp.sleep(commandLatency);
            String state = Wsman.text(d, Wsman.POWER_SERVICE, "PowerState");
            int rv = switch (String.valueOf(state)) {
                case "2" -> {
                    on = true;
                    yield 0;
                }
                case "8" -> {
                    on = false;
                    yield 0;
                }
                case "5", "10" -> {
                    if (!on) {
                        yield 2;
                    }
                    if (state.equals("5")) {
                        cycle();
                    }
                    yield 0;
                }
                default -> 1;
            };
            if (rv == 0) {
                log.add("wsman power " + state);
            }
            body = output(Wsman.POWER_SERVICE, "RequestPowerStateChange", rv);
        } else if (action.equals(Wsman.BOOT_CONFIG + "/ChangeBootOrder") && resource.equals(Wsman.BOOT_CONFIG)) {
            String source = String.valueOf(Wsman.text(d, Wsman.WSMAN, "Selector") == null ? null : lastSelector(d));
            boolean known = source.equals(AmtWsmanClient.PXE_SOURCE) || source.equals(AmtWsmanClient.DISK_SOURCE);
            if (known) {
                bootSource = source;
                log.add("wsman boot " + source);
            }
            body = output(Wsman.BOOT_CONFIG, "ChangeBootOrder", known ? 0 : 1);
        } else if (action.equals(Wsman.BOOT_SERVICE + "/SetBootConfigRole") && resource.equals(Wsman.BOOT_SERVICE)) {
            body = output(Wsman.BOOT_SERVICE, "SetBootConfigRole", "1".equals(Wsman.text(d, Wsman.BOOT_SERVICE, "Role")) ? 0 : 1);
        } else {
            FakeHttp.reply(ex, 400, "application/soap+xml", fault("s:Sender", "wsa:ActionNotSupported", "action not supported: " + action, messageId));
            return;
        }
        FakeHttp.reply(ex, 200, "application/soap+xml;charset=UTF-8", envelope(action + "Response", resource, messageId, body));
    }

    private static String lastSelector(Document d) {
        org.w3c.dom.NodeList l = d.getElementsByTagNameNS(Wsman.WSMAN, "Selector");
        return l.item(l.getLength() - 1).getTextContent().strip();
    }

    private static String output(String resource, String method, int rv) {
        return "<g:" + method + "_OUTPUT xmlns:g=\"" + resource + "\"><g:ReturnValue>" + rv + "</g:ReturnValue></g:" + method + "_OUTPUT>";
    }

    private static String envelope(String action, String resource, String relatesTo, String body) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><a:Envelope xmlns:a=\"" + Wsman.SOAP + "\" xmlns:b=\"" + Wsman.WSA
                + "\" xmlns:c=\"" + Wsman.WSMAN + "\"><a:Header><b:To>" + Wsman.ANONYMOUS + "</b:To>"
                + "<b:RelatesTo>" + Wsman.esc(relatesTo) + "</b:RelatesTo><b:Action a:mustUnderstand=\"true\">" + Wsman.esc(action) + "</b:Action>"
                + "<b:MessageID>uuid:" + UUID.randomUUID() + "</b:MessageID><c:ResourceURI>" + Wsman.esc(resource) + "</c:ResourceURI>"
                + "</a:Header><a:Body>" + body + "</a:Body></a:Envelope>";
    }

    private static String fault(String code, String subcode, String reason, String relatesTo) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><s:Envelope xmlns:s=\"" + Wsman.SOAP + "\" xmlns:wsa=\"" + Wsman.WSA
                + "\" xmlns:wsman=\"" + Wsman.WSMAN + "\"><s:Header><wsa:Action>http://schemas.xmlsoap.org/ws/2004/08/addressing/fault</wsa:Action>"
                + (relatesTo == null ? "" : "<wsa:RelatesTo>" + Wsman.esc(relatesTo) + "</wsa:RelatesTo>")
                + "</s:Header><s:Body><s:Fault><s:Code><s:Value>" + code + "</s:Value><s:Subcode><s:Value>" + subcode
                + "</s:Value></s:Subcode></s:Code><s:Reason><s:Text xml:lang=\"en-US\">" + Wsman.esc(reason)
                + "</s:Text></s:Reason></s:Fault></s:Body></s:Envelope>";
    }

    // ---- EOI SOAP 1.1 (AMT 2.x-5.x; what amttool speaks) ---------------------------------------------------

    private static final Pattern METHOD = Pattern.compile("<(?:[A-Za-z0-9_]+:)?Body[^>]*>\\s*<(?:[A-Za-z0-9_]+:)?([A-Za-z]+)[\\s/>]");
    private static final Pattern COMMAND = Pattern.compile("<(?:[A-Za-z0-9_]+:)?Command[^>]*>\\s*(\\d+)\\s*<");

    private void eoi(HttpExchange ex, String service) throws IOException {
        String req = FakeHttp.body(ex);
        Matcher m = METHOD.matcher(req);
        if (!m.find()) {
            FakeHttp.reply(ex, 500, "text/xml", soap11Fault("no method"));
            return;
        }
        String method = m.group(1);
        String ns = EOI + switch (service) {
            case "RemoteControlService" -> "RemoteControl/2004/01";
            case "SecurityAdministrationService" -> "SecurityAdministration/2004/01";
            default -> "NetworkAdministration/2004/01";
        };
        String out;
        switch (method) {
            case "GetCoreVersion" -> out = "<StatusCode>0</StatusCode><Version>5.2.10</Version>";
            case "GetHostName" -> out = "<StatusCode>0</StatusCode><HostName>fake-amt</HostName>";
            case "GetDomainName" -> out = "<StatusCode>0</StatusCode><DomainName>example</DomainName>";
            case "GetSystemPowerState" -> out = "<StatusCode>0</StatusCode><SystemPowerState>" + (on ? 0 : 5) + "</SystemPowerState>";
            case "GetRemoteControlCapabilities" -> out = "<StatusCode>0</StatusCode><IanaOemNumber>343</IanaOemNumber>"
                    + "<OemDefinedCapabilities>3</OemDefinedCapabilities><SpecialCommandsSupported>768</SpecialCommandsSupported>"
                    + "<SystemCapabilitiesSupported>15</SystemCapabilitiesSupported><SystemFirmwareCapabilities>0</SystemFirmwareCapabilities>";
            case "RemoteControl" -> {
                Matcher c = COMMAND.matcher(req);
                int status = 0x24;
                if (c.find()) {
                    String cmd = c.group(1);
                    status = switch (cmd) {
                        case "17" -> {
                            on = true;
                            yield 0;
                        }
                        case "18" -> {
                            on = false;
                            yield 0;
                        }
                        case "16", "19" -> on ? 0 : 0x24;
                        default -> 0x24;
                    };
                    if (status == 0) {
                        log.add("eoi " + cmd);
                    }
                }
                out = "<Status>" + status + "</Status>";
            }
            default -> {
                FakeHttp.reply(ex, 500, "text/xml", soap11Fault("unknown method " + method));
                return;
            }
        }
        FakeHttp.reply(ex, 200, "text/xml; charset=utf-8", "<?xml version=\"1.0\" encoding=\"utf-8\"?>"
                + "<SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body>"
                + "<r:" + method + "Response xmlns:r=\"" + ns + "\">" + out.replaceAll("<(/?)([A-Za-z])", "<$1r:$2")
                + "</r:" + method + "Response></SOAP-ENV:Body></SOAP-ENV:Envelope>");
    }

    private static String soap11Fault(String why) {
        return "<?xml version=\"1.0\"?><SOAP-ENV:Envelope xmlns:SOAP-ENV=\"http://schemas.xmlsoap.org/soap/envelope/\"><SOAP-ENV:Body>"
                + "<SOAP-ENV:Fault><faultcode>SOAP-ENV:Client</faultcode><faultstring>" + Wsman.esc(why) + "</faultstring></SOAP-ENV:Fault>"
                + "</SOAP-ENV:Body></SOAP-ENV:Envelope>";
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
