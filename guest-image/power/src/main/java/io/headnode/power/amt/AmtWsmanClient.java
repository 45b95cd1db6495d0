package io.headnode.power.amt;

import io.headnode.power.BootDevice;
import io.headnode.power.PowerState;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import io.headnode.power.http.BmcHttp;
import java.util.LinkedHashMap;
import java.util.Map;
import org.w3c.dom.Document;

/**
 * AMT over WS-Management at /wsman: power state from CIM_AssociatedPowerManagementService, commands through
 * CIM_PowerManagementService.RequestPowerStateChange (2 on, 8 off, 5 cycle, 10 reset: master bus reset), and
 * the next boot's device through CIM_BootConfigSetting.ChangeBootOrder + CIM_BootService.SetBootConfigRole
 * (AMT 6 and later; AMT applies a boot override to the next boot only). Every answer is checked: a SOAP
 * envelope relating to our message, the expected response action, ReturnValue 0.
 */
final class AmtWsmanClient implements BmcClient {
    static final String PXE_SOURCE = "Intel(r) AMT: Force PXE Boot";
    static final String DISK_SOURCE = "Intel(r) AMT: Force Hard-drive Boot";
    private final AmtHttp http;

    AmtWsmanClient(AmtHttp http) {
        this.http = http;
    }

    @Override
    public PowerState state() throws BmcException {
        Document d = exchange(Wsman.TRANSFER_GET, Wsman.ASSOCIATED_POWER, Map.of(), null, false);
        String s = Wsman.text(d, Wsman.ASSOCIATED_POWER, "PowerState");
        if (s == null) {
            throw BmcException.refused("AMT at " + http.authority() + " sent no PowerState");
        }
        return switch (s) {
            case "2" -> PowerState.ON;
            case "3", "4", "6", "7", "8", "9", "12", "13" -> PowerState.OFF;
            default -> PowerState.UNKNOWN;
        };
    }

    @Override
    public void power(PowerAction action) throws BmcException {
        int code = switch (action) {
            case ON -> 2;
            case OFF -> 8;
            case CYCLE -> 5;
            case RESET -> 10;
        };
        String body = "<p:RequestPowerStateChange_INPUT xmlns:p=\"" + Wsman.POWER_SERVICE + "\">"
                + "<p:PowerState>" + code + "</p:PowerState>"
                + "<p:ManagedElement>" + Wsman.reference(Wsman.COMPUTER_SYSTEM, ordered("CreationClassName", "CIM_ComputerSystem", "Name", "ManagedSystem"))
                + "</p:ManagedElement></p:RequestPowerStateChange_INPUT>";
        invoke(Wsman.POWER_SERVICE, "RequestPowerStateChange",
                ordered("CreationClassName", "CIM_PowerManagementService", "Name", "Intel(r) AMT Power Management Service",
                        "SystemCreationClassName", "CIM_ComputerSystem", "SystemName", "Intel(r) AMT"), body, true);
    }

    @Override
    public void bootDevice(BootDevice device, boolean once) throws BmcException {
        if (!once) {
            throw BmcClient.onceOnly("AMT", device);
        }
        String source = device == BootDevice.PXE ? PXE_SOURCE : DISK_SOURCE;
        invoke(Wsman.BOOT_CONFIG, "ChangeBootOrder", ordered("InstanceID", "Intel(r) AMT: Boot Configuration 0"),
                "<p:ChangeBootOrder_INPUT xmlns:p=\"" + Wsman.BOOT_CONFIG + "\"><p:Source>"
                        + Wsman.reference(Wsman.BOOT_SOURCE, ordered("InstanceID", source)) + "</p:Source></p:ChangeBootOrder_INPUT>", true);
        invoke(Wsman.BOOT_SERVICE, "SetBootConfigRole",
                ordered("CreationClassName", "CIM_BootService", "Name", "Intel(r) AMT Boot Service",
                        "SystemCreationClassName", "CIM_ComputerSystem", "SystemName", "Intel(r) AMT"),
                "<p:SetBootConfigRole_INPUT xmlns:p=\"" + Wsman.BOOT_SERVICE + "\"><p:BootConfigSetting>"
                        + Wsman.reference(Wsman.BOOT_CONFIG, ordered("InstanceID", "Intel(r) AMT: Boot Configuration 0"))
                        + "</p:BootConfigSetting><p:Role>1</p:Role></p:SetBootConfigRole_INPUT>", true);
    }

    private void invoke(String resource, String method, Map<String, String> selectors, String body, boolean command) throws BmcException {
        Document d = exchange(resource + "/" + method, resource, selectors, body, command);
        String rv = Wsman.text(d, resource, "ReturnValue");
        if (rv == null) {
            throw BmcException.refused("AMT at " + http.authority() + " sent no ReturnValue for " + method);
        }
        if (!rv.equals("0")) {
            throw BmcException.refused("AMT at " + http.authority() + " refused " + method + ": ReturnValue " + rv
                    + (rv.equals("1") ? " (not supported)" : rv.equals("2") ? " (failed; the node may not allow it in its current state)" : ""));
        }
    }

    private Document exchange(String action, String resource, Map<String, String> selectors, String body, boolean command) throws BmcException {
        Wsman.Request req = Wsman.request(http.uri("/wsman").toString(), action, resource, selectors, body);
        BmcHttp.Response r = http.send("POST", "/wsman", "application/soap+xml;charset=UTF-8", req.xml(), command);
        Document d;
        try {
            d = Wsman.parse(r.body());
        } catch (IllegalArgumentException e) {
            if (r.status() >= 500) {
                throw BmcException.busy("AMT at " + http.authority() + " answered HTTP " + r.status());
            }
            throw BmcException.refused("AMT at " + http.authority() + " answered HTTP " + r.status() + " without a SOAP envelope");
        }
        if (!Wsman.isEnvelope(d)) {
            throw BmcException.refused("AMT at " + http.authority() + " answered with something other than a SOAP envelope");
        }
        String fault = Wsman.text(d, Wsman.SOAP, "Fault");
        if (fault != null) {
            String reason = Wsman.text(d, Wsman.SOAP, "Text");
            String sub = Wsman.text(d, Wsman.SOAP, "Subcode");
            throw BmcException.refused("AMT at " + http.authority() + " returned a fault for " + shortName(action) + ": "
                    + (reason != null ? reason : fault) + (sub != null ? " [" + sub.replaceAll("\\s+", " ") + "]" : ""));
        }
        if (r.status() != 200) {
            throw BmcException.refused("AMT at " + http.authority() + " answered HTTP " + r.status() + " to " + shortName(action));
        }
        String relates = Wsman.text(d, Wsman.WSA, "RelatesTo");
        if (!req.messageId().equals(relates)) {
            throw BmcException.refused("AMT at " + http.authority() + " answered another message (RelatesTo " + relates + ")");
        }
        String responseAction = Wsman.text(d, Wsman.WSA, "Action");
        if (!(action + "Response").equals(responseAction)) {
            throw BmcException.refused("AMT at " + http.authority() + " answered with action " + responseAction + " to " + shortName(action));
        }
        return d;
    }

    private static String shortName(String action) {
        return action.substring(action.lastIndexOf('/') + 1);
    }

    private static Map<String, String> ordered(String... kv) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], kv[i + 1]);
        }
        return m;
    }
}
