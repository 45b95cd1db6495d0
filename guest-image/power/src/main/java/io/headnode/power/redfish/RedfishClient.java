package io.headnode.power.redfish;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.contract.Secret;
import io.headnode.power.BootDevice;
import io.headnode.power.PowerState;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import io.headnode.power.http.BmcHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/** One Redfish service: ComputerSystem power state, ComputerSystem.Reset, Boot source override. */
final class RedfishClient implements BmcClient {
    private final BmcHttp http;
    private final HttpClient client;
    private final ObjectMapper json;
    private final URI base;
    private final String user;
    private final Secret secret;
    private final boolean session;
    private Optional<String> system;
    private String token;
    private String sessionUri;

    RedfishClient(BmcHttp http, HttpClient client, ObjectMapper json, URI base, String user, Secret secret, boolean session, Optional<String> system) {
        this.http = http;
        this.client = client;
        this.json = json;
        this.base = base;
        this.user = user;
        this.secret = secret;
        this.session = session;
        this.system = system;
    }

    @Override
    public PowerState state() throws BmcException {
        JsonNode s = get(system());
        String p = s.path("PowerState").asText("");
        return switch (p) {
            case "On", "PoweringOn", "Paused" -> PowerState.ON;
            case "Off", "PoweringOff" -> PowerState.OFF;
            default -> PowerState.UNKNOWN;
        };
    }

    @Override
    public void power(PowerAction action) throws BmcException {
        JsonNode s = get(system());
        JsonNode reset = s.path("Actions").path("#ComputerSystem.Reset");
        String target = reset.path("target").asText(system() + "/Actions/ComputerSystem.Reset");
        JsonNode allowed = reset.path("ResetType@Redfish.AllowableValues");
        String type = switch (action) {
            case ON -> "On";
            case OFF -> "ForceOff";
            case CYCLE -> allows(allowed, "PowerCycle") ? "PowerCycle" : "ForceRestart";
            case RESET -> "ForceRestart";
        };
        if (!allows(allowed, type)) {
            throw BmcException.refused("Redfish at " + base.getAuthority() + " does not offer ResetType " + type + " (offers " + allowed + ")");
        }
        send("POST", target, "{\"ResetType\":\"" + type + "\"}", true);
    }

    private static boolean allows(JsonNode allowed, String type) {
        if (!allowed.isArray() || allowed.isEmpty()) {
            return true;
        }
        for (JsonNode a : allowed) {
            if (a.asText().equals(type)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void bootDevice(BootDevice device, boolean once) throws BmcException {
        String body = "{\"Boot\":{\"BootSourceOverrideTarget\":\"" + (device == BootDevice.PXE ? "Pxe" : "Hdd")
                + "\",\"BootSourceOverrideEnabled\":\"" + (once ? "Once" : "Continuous") + "\"}}";
        send("PATCH", system(), body, true);
    }

    @Override
    public void close() {
        if (sessionUri != null) {
            try {
                http.send(client, "DELETE", base.resolve(sessionUri), Map.of("X-Auth-Token", token), null, false);
            } catch (BmcException e) {
                // the session times out on the BMC by itself
            }
            sessionUri = null;
            token = null;
        }
    }

    private String system() throws BmcException {
        if (system.isEmpty()) {
            JsonNode members = get("/redfish/v1/Systems").path("Members");
            if (!members.isArray() || members.isEmpty()) {
                throw BmcException.refused("Redfish at " + base.getAuthority() + " lists no ComputerSystem");
            }
            system = Optional.of(members.get(0).path("@odata.id").asText());
        }
        return system.get();
    }

    private JsonNode get(String path) throws BmcException {
        return send("GET", path, null, false);
    }

    private JsonNode send(String method, String path, String body, boolean command) throws BmcException {
        Map<String, String> headers = new HashMap<>(auth());
        headers.put("Accept", "application/json");
        if (body != null) {
            headers.put("Content-Type", "application/json");
        }
        BmcHttp.Response r = http.send(client, method, base.resolve(path), headers, body, command);
        if (r.status() == 401 && session && token != null && !command) {
            token = null;
            sessionUri = null;
            return send(method, path, body, command);
        }
        return check(r, method + " " + path);
    }

    private Map<String, String> auth() throws BmcException {
        if (!session) {
            return Map.of("Authorization", "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret.reveal()).getBytes(StandardCharsets.UTF_8)));
        }
        if (token == null) {
            String login = "{\"UserName\":" + quote(user) + ",\"Password\":" + quote(secret.reveal()) + "}";
            BmcHttp.Response r = http.send(client, "POST", base.resolve("/redfish/v1/SessionService/Sessions"),
                    Map.of("Content-Type", "application/json", "Accept", "application/json"), login, false);
            check(r, "POST /redfish/v1/SessionService/Sessions");
            token = r.header("X-Auth-Token");
            if (token == null) {
                throw BmcException.refused("Redfish at " + base.getAuthority() + " created a session without an X-Auth-Token");
            }
            sessionUri = r.header("Location");
        }
        return Map.of("X-Auth-Token", token);
    }

    private String quote(String s) {
        try {
            return json.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private JsonNode check(BmcHttp.Response r, String what) throws BmcException {
        int s = r.status();
        if (s == 401) {
            throw BmcException.refused("Redfish at " + base.getAuthority() + " rejected user " + user + " or its password (HTTP 401)");
        }
        if (s >= 500) {
            throw BmcException.busy("Redfish at " + base.getAuthority() + " answered HTTP " + s + " to " + what + message(r));
        }
        if (s >= 300) {
            throw BmcException.refused("Redfish at " + base.getAuthority() + " answered HTTP " + s + " to " + what + message(r));
        }
        if (r.body() == null || r.body().isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(r.body());
        } catch (JsonProcessingException e) {
            throw BmcException.refused("Redfish at " + base.getAuthority() + " answered " + what + " with something other than JSON");
        }
    }

    private String message(BmcHttp.Response r) {
        try {
            JsonNode e = json.readTree(r.body()).path("error");
            JsonNode info = e.path("@Message.ExtendedInfo");
            String m = info.isArray() && !info.isEmpty() ? info.get(0).path("Message").asText() : e.path("message").asText();
            return m.isEmpty() ? "" : ": " + m;
        } catch (JsonProcessingException | RuntimeException e) {
            return "";
        }
    }
}
