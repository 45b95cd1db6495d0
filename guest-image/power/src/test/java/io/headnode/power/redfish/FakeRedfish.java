package io.headnode.power.redfish;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.headnode.power.FakeHttp;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fake Redfish service on loopback HTTPS (test scope), per the DMTF schema: service root, SessionService with
 * session login (X-Auth-Token, Location) and basic auth, one ComputerSystem with PowerState, Boot override
 * properties and the ComputerSystem.Reset action. Errors come as Redfish error bodies. Latency, 500s and slow
 * answers can be injected.
 */
public final class FakeRedfish implements AutoCloseable {
    private static final String SYSTEM = "/redfish/v1/Systems/1";
    private static final List<String> RESET_TYPES = List.of("On", "ForceOff", "GracefulShutdown", "GracefulRestart", "ForceRestart", "PowerCycle", "Nmi");
    private final ObjectMapper json = new ObjectMapper();
    private final HttpsServer server;
    private final String user;
    private final String password;
    private final Map<String, String> sessions = new ConcurrentHashMap<>();
    private final AtomicInteger sessionIds = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());
    private volatile boolean on;
    private volatile String bootEnabled = "Disabled";
    private volatile String bootTarget = "None";
    private volatile Duration latency = Duration.ZERO;
    private volatile Duration cycleOffFor = Duration.ZERO;

    private FakeRedfish(String user, String password, boolean on) throws IOException {
        this.user = user;
        this.password = password;
        this.on = on;
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.setHttpsConfigurator(new HttpsConfigurator(TestCert.serverContext()));
        server.setExecutor(FakeHttp.POOL);
        server.createContext("/", this::handle);
        server.start();
    }

    public static FakeRedfish start(String user, String password, boolean on) {
        try {
            return new FakeRedfish(user, password, on);
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

    public String boot() {
        return bootEnabled + " " + bootTarget;
    }

    /** Reset types and boot changes carried out, e.g. "reset On", "boot Once Pxe". */
    public List<String> log() {
        synchronized (log) {
            return List.copyOf(log);
        }
    }

    public int openSessions() {
        return sessions.size();
    }

    public FakeRedfish latency(Duration d) {
        latency = d;
        return this;
    }

    public FakeRedfish cycleOffFor(Duration d) {
        cycleOffFor = d;
        return this;
    }

    public void failNext(int n) {
        failures.set(n);
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            FakeHttp.sleep(latency);
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            if (path.length() > 1 && path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            String body = FakeHttp.body(ex);
            if (path.equals("/redfish")) {
                send(ex, 200, json.createObjectNode().put("v1", "/redfish/v1/"));
                return;
            }
            if (path.equals("/redfish/v1") && method.equals("GET")) {
                send(ex, 200, serviceRoot());
                return;
            }
            if (path.equals("/redfish/v1/SessionService/Sessions") && method.equals("POST")) {
                login(ex, body);
                return;
            }
            if (!authorized(ex)) {
                ex.getResponseHeaders().set("WWW-Authenticate", "Basic realm=\"fake-redfish\"");
                send(ex, 401, error("Base.1.8.NoValidSession", "There is no valid session established with the implementation."));
                return;
            }
            if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                send(ex, 500, error("Base.1.8.InternalError", "The request failed due to an internal service error."));
                return;
            }
            route(ex, method, path, body);
        } catch (RuntimeException e) {
            send(ex, 500, error("Base.1.8.InternalError", "fake failed: " + e));
        }
    }

    private void route(HttpExchange ex, String method, String path, String body) throws IOException {
        if (path.startsWith("/redfish/v1/SessionService/Sessions/") && method.equals("DELETE")) {
            String id = path.substring(path.lastIndexOf('/') + 1);
            sessions.values().removeIf(id::equals);
            send(ex, 204, null);
        } else if (path.equals("/redfish/v1/SessionService") && method.equals("GET")) {
            ObjectNode s = resource("/redfish/v1/SessionService", "#SessionService.v1_1_8.SessionService", "SessionService");
            s.put("ServiceEnabled", true).put("SessionTimeout", 1800);
            s.putObject("Sessions").put("@odata.id", "/redfish/v1/SessionService/Sessions");
            send(ex, 200, s);
        } else if (path.equals("/redfish/v1/SessionService/Sessions") && method.equals("GET")) {
            ObjectNode c = resource(path, "#SessionCollection.SessionCollection", "Sessions");
            ArrayNode members = c.putArray("Members");
            sessions.values().forEach(id -> members.addObject().put("@odata.id", path + "/" + id));
            c.put("Members@odata.count", members.size());
            send(ex, 200, c);
        } else if (path.equals("/redfish/v1/Systems") && method.equals("GET")) {
            ObjectNode c = resource(path, "#ComputerSystemCollection.ComputerSystemCollection", "Computer System Collection");
            c.putArray("Members").addObject().put("@odata.id", SYSTEM);
            c.put("Members@odata.count", 1);
            send(ex, 200, c);
        } else if (path.equals(SYSTEM) && method.equals("GET")) {
            send(ex, 200, system());
        } else if (path.equals(SYSTEM) && method.equals("PATCH")) {
            patchBoot(ex, body);
        } else if (path.equals(SYSTEM + "/Actions/ComputerSystem.Reset") && method.equals("POST")) {
            reset(ex, body);
        } else if (path.equals(SYSTEM) || path.startsWith("/redfish/v1/")) {
            send(ex, path.equals(SYSTEM) ? 405 : 404, error("Base.1.8.ResourceMissingAtURI", "The resource at the URI " + path + " was not found."));
        } else {
            send(ex, 404, error("Base.1.8.ResourceMissingAtURI", "not found"));
        }
    }

    private ObjectNode serviceRoot() {
        ObjectNode r = resource("/redfish/v1", "#ServiceRoot.v1_11_0.ServiceRoot", "Root Service");
        r.put("Id", "RootService").put("RedfishVersion", "1.11.0").put("UUID", "92384634-2938-2342-8820-489239905423");
        r.putObject("Systems").put("@odata.id", "/redfish/v1/Systems");
        r.putObject("SessionService").put("@odata.id", "/redfish/v1/SessionService");
        r.putObject("Links").putObject("Sessions").put("@odata.id", "/redfish/v1/SessionService/Sessions");
        return r;
    }

    private ObjectNode system() {
        ObjectNode s = resource(SYSTEM, "#ComputerSystem.v1_13_0.ComputerSystem", "Fake node");
        s.put("Id", "1").put("SystemType", "Physical").put("PowerState", on ? "On" : "Off");
        s.putObject("Status").put("State", "Enabled").put("Health", "OK");
        ObjectNode boot = s.putObject("Boot");
        boot.put("BootSourceOverrideEnabled", bootEnabled).put("BootSourceOverrideTarget", bootTarget).put("BootSourceOverrideMode", "Legacy");
        ArrayNode targets = boot.putArray("BootSourceOverrideTarget@Redfish.AllowableValues");
        List.of("None", "Pxe", "Hdd", "Cd", "BiosSetup").forEach(targets::add);
        ObjectNode reset = s.putObject("Actions").putObject("#ComputerSystem.Reset");
        reset.put("target", SYSTEM + "/Actions/ComputerSystem.Reset");
        ArrayNode types = reset.putArray("ResetType@Redfish.AllowableValues");
        RESET_TYPES.forEach(types::add);
        return s;
    }

    private ObjectNode resource(String id, String type, String name) {
        ObjectNode n = json.createObjectNode();
        n.put("@odata.id", id).put("@odata.type", type).put("Name", name);
        return n;
    }

    private void login(HttpExchange ex, String body) throws IOException {
        JsonNode req = readJson(body);
        if (req == null || !user.equals(req.path("UserName").asText()) || !password.equals(req.path("Password").asText())) {
            send(ex, 401, error("Base.1.8.ResourceAtUriUnauthorized", "While accessing the resource at /redfish/v1/SessionService/Sessions, the service received an authorization error."));
            return;
        }
        String id = String.valueOf(sessionIds.incrementAndGet());
        byte[] t = new byte[16];
        new SecureRandom().nextBytes(t);
        String token = HexFormat.of().formatHex(t);
        sessions.put(token, id);
        String location = "/redfish/v1/SessionService/Sessions/" + id;
        ex.getResponseHeaders().set("X-Auth-Token", token);
        ex.getResponseHeaders().set("Location", location);
        ObjectNode s = resource(location, "#Session.v1_3_0.Session", "User Session");
        s.put("Id", id).put("UserName", user);
        send(ex, 201, s);
    }

    private boolean authorized(HttpExchange ex) {
        String token = ex.getRequestHeaders().getFirst("X-Auth-Token");
        if (token != null) {
            return sessions.containsKey(token);
        }
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth != null && auth.startsWith("Basic ")) {
            String decoded = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
            return decoded.equals(user + ":" + password);
        }
        return false;
    }

    private void reset(HttpExchange ex, String body) throws IOException {
        JsonNode req = readJson(body);
        String type = req == null ? "" : req.path("ResetType").asText();
        if (!RESET_TYPES.contains(type)) {
            send(ex, 400, error("Base.1.8.ActionParameterValueNotInList", "The value '" + type + "' for the parameter ResetType is not in the list of acceptable values."));
            return;
        }
        switch (type) {
            case "On" -> on = true;
            case "ForceOff", "GracefulShutdown" -> on = false;
            case "PowerCycle" -> {
                if (on && !cycleOffFor.isZero()) {
                    on = false;
                    FakeHttp.POOL.submit(() -> {
                        FakeHttp.sleep(cycleOffFor);
                        on = true;
                    });
                } else {
                    on = true;
                }
            }
            default -> {
                if (!on) {
                    send(ex, 409, error("Base.1.8.ActionNotSupported", "The system is powered off."));
                    return;
                }
            }
        }
        log.add("reset " + type);
        send(ex, 204, null);
    }

    private void patchBoot(HttpExchange ex, String body) throws IOException {
        JsonNode req = readJson(body);
        JsonNode boot = req == null ? null : req.get("Boot");
        if (boot == null || !boot.isObject()) {
            send(ex, 400, error("Base.1.8.MalformedJSON", "The request body submitted was malformed JSON."));
            return;
        }
        String enabled = boot.path("BootSourceOverrideEnabled").asText(bootEnabled);
        String target = boot.path("BootSourceOverrideTarget").asText(bootTarget);
        if (!List.of("Disabled", "Once", "Continuous").contains(enabled) || !List.of("None", "Pxe", "Hdd", "Cd", "BiosSetup").contains(target)) {
            send(ex, 400, error("Base.1.8.PropertyValueNotInList", "The value for the property Boot is not in the list of acceptable values."));
            return;
        }
        bootEnabled = enabled;
        bootTarget = target;
        log.add("boot " + enabled + " " + target);
        send(ex, 200, system());
    }

    private JsonNode readJson(String body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private ObjectNode error(String id, String message) {
        ObjectNode e = json.createObjectNode();
        ObjectNode err = e.putObject("error");
        err.put("code", id).put("message", message);
        err.putArray("@Message.ExtendedInfo").addObject().put("@odata.type", "#Message.v1_1_1.Message").put("MessageId", id).put("Message", message);
        return e;
    }

    private void send(HttpExchange ex, int status, JsonNode body) throws IOException {
        ex.getResponseHeaders().set("OData-Version", "4.0");
        FakeHttp.reply(ex, status, body == null ? null : "application/json; charset=utf-8", body == null ? null : json.writeValueAsString(body));
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
