package io.headnode.power.amt;

import io.headnode.contract.Secret;
import io.headnode.power.driver.BmcException;
import io.headnode.power.http.BmcHttp;
import io.headnode.power.http.Digest;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.HashMap;
import java.util.Map;

/** Digest-authenticated requests to one AMT: answers a challenge once; a second 401 means wrong credentials. */
final class AmtHttp {
    private final BmcHttp http;
    private final HttpClient client;
    private final URI base;
    private final String user;
    private final Secret secret;
    private Digest digest;

    AmtHttp(BmcHttp http, HttpClient client, URI base, String user, Secret secret) {
        this.http = http;
        this.client = client;
        this.base = base;
        this.user = user;
        this.secret = secret;
    }

    URI uri(String path) {
        return base.resolve(path);
    }

    BmcHttp.Response send(String method, String path, String contentType, String body, boolean command) throws BmcException {
        for (int round = 0; round < 3; round++) {
            Map<String, String> headers = new HashMap<>();
            if (contentType != null) {
                headers.put("Content-Type", contentType);
            }
            if (digest != null) {
                headers.put("Authorization", digest.authorize(method, path, user, secret.reveal()));
            }
            BmcHttp.Response r = http.send(client, method, uri(path), headers, body, command);
            if (r.status() != 401) {
                return check(r, path);
            }
            Digest challenge = Digest.parse(r.header("WWW-Authenticate")).orElseThrow(
                    () -> BmcException.refused("AMT at " + base.getAuthority() + " answered 401 without a digest challenge"));
            if (digest != null && !challenge.stale()) {
                throw BmcException.refused("AMT at " + base.getAuthority() + " rejected user " + user + " or its password (HTTP 401)");
            }
            digest = challenge;
        }
        throw BmcException.refused("AMT at " + base.getAuthority() + " kept asking for authentication (HTTP 401)");
    }

    private BmcHttp.Response check(BmcHttp.Response r, String path) throws BmcException {
        if (r.status() >= 500 && r.status() != 500 || r.status() == 500 && !r.body().contains("Fault")) {
            throw BmcException.busy("AMT at " + base.getAuthority() + " answered HTTP " + r.status() + " to " + path);
        }
        if (r.status() == 403) {
            throw BmcException.refused("AMT at " + base.getAuthority() + " denied " + path + " to user " + user + " (HTTP 403)");
        }
        if (r.status() == 404) {
            throw BmcException.refused("AMT at " + base.getAuthority() + " has no " + path + " (HTTP 404; try the other protocol)");
        }
        return r;
    }

    String authority() {
        return base.getAuthority();
    }
}
