package io.headnode.agent.http;

import java.util.Map;
import java.util.Objects;

/** A parsed request: method, raw target, lower-cased header names, body (at most the server's limit), peer address. */
public record HttpRequest(String method, String target, Map<String, String> headers, byte[] body, String remoteAddress) {
    public HttpRequest {
        Objects.requireNonNull(method, "method is null");
        Objects.requireNonNull(target, "target is null");
        headers = Map.copyOf(headers);
        Objects.requireNonNull(body, "body is null");
        Objects.requireNonNull(remoteAddress, "remoteAddress is null");
    }

    public String header(String lowerCaseName) {
        return headers.get(lowerCaseName);
    }

    /** The target without its query string. */
    public String path() {
        int q = target.indexOf('?');
        return q < 0 ? target : target.substring(0, q);
    }
}
