package io.headnode.power.amt;

import io.headnode.power.BootDevice;
import io.headnode.power.PowerState;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import io.headnode.power.http.BmcHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The AMT web UI's remote control form, as the seed used it: the state from /remote.htm ("Power state: On"),
 * commands as a POST to /remoteform with {@code amt_html_rc_radio_group} (1 off, 2 on, 3 cycle, 4 reset) and
 * {@code amt_html_rc_boot_special=1} (normal boot), plus the page's anti-forgery token {@code t} where it has one.
 */
final class AmtFormClient implements BmcClient {
    private static final Pattern POWER = Pattern.compile("Power state:\\s*(?:<[^>]*>\\s*)*([A-Za-z][A-Za-z /-]*)", Pattern.CASE_INSENSITIVE);
    private static final Pattern TOKEN = Pattern.compile("<input[^>]*name=[\"']?t[\"']?[^>]*value=[\"']([^\"']*)[\"']", Pattern.CASE_INSENSITIVE);
    private final AmtHttp http;
    private String token;

    AmtFormClient(AmtHttp http) {
        this.http = http;
    }

    @Override
    public PowerState state() throws BmcException {
        BmcHttp.Response r = http.send("GET", "/remote.htm", null, null, false);
        if (r.status() != 200) {
            throw BmcException.refused("AMT at " + http.authority() + " answered HTTP " + r.status() + " to /remote.htm");
        }
        Matcher t = TOKEN.matcher(r.body());
        token = t.find() ? t.group(1) : null;
        Matcher m = POWER.matcher(r.body());
        if (!m.find()) {
            return PowerState.UNKNOWN;
        }
        String s = m.group(1).strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("on")) {
            return PowerState.ON;
        }
        if (s.startsWith("off") || s.startsWith("soft off") || s.startsWith("standby") || s.startsWith("hibernate") || s.startsWith("sleep")) {
            return PowerState.OFF;
        }
        return PowerState.UNKNOWN;
    }

    @Override
    public void power(PowerAction action) throws BmcException {
        int radio = switch (action) {
            case OFF -> 1;
            case ON -> 2;
            case CYCLE -> 3;
            case RESET -> 4;
        };
        String body = (token == null ? "" : "t=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&")
                + "amt_html_rc_radio_group=" + radio + "&amt_html_rc_boot_special=1";
        BmcHttp.Response r = http.send("POST", "/remoteform", "application/x-www-form-urlencoded", body, true);
        if (r.status() != 200 && r.status() != 303 && r.status() != 302) {
            throw BmcException.refused("AMT at " + http.authority() + " answered HTTP " + r.status() + " to the remote control form");
        }
        if (r.body().toLowerCase(Locale.ROOT).contains("error")) {
            throw BmcException.refused("AMT at " + http.authority() + " reported an error for the remote control form");
        }
    }

    @Override
    public void bootDevice(BootDevice device, boolean once) throws BmcException {
        throw BmcException.refused("the AMT web form cannot choose a boot device; use protocol=wsman (AMT 6 and later)");
    }
}
