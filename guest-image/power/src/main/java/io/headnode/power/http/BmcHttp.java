package io.headnode.power.http;

import io.headnode.power.driver.BmcException;
import io.headnode.contract.DriverOption;
import io.headnode.contract.ShareFileReader;
import io.headnode.contract.ShareFormatException;
import io.headnode.contract.ShareLayout;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * HTTP(S) exchanges with BMCs: HTTP/1.1, a timeout on connect and on every request, failures classified into
 * {@link BmcException}s (no connection: unreachable; no answer in time: timed out, maybe applied for commands).
 * One JDK client per trust store (system CAs, or a PEM file of the share an entry names with {@code ca=}).
 */
public final class BmcHttp {
    /** The {@code ca=} option of the drivers that speak HTTPS: a PEM file in the share. */
    public static final DriverOption CA = DriverOption.of("ca", "a PEM file in the share (a path relative to it)",
            v -> !v.isEmpty() && !v.startsWith("/"));
    private static final int MAX_CA_BYTES = 1 << 20;
    private final Duration timeout;
    private final Map<String, HttpClient> clients = new ConcurrentHashMap<>();

    public record Response(int status, Map<String, java.util.List<String>> headers, String body) {
        public String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
                    .map(e -> e.getValue().isEmpty() ? null : e.getValue().get(0)).orElse(null);
        }
    }

    public BmcHttp(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout is null");
    }

    public Duration timeout() {
        return timeout;
    }

    /**
     * The client for an entry's {@code ca=} option: without one, trusting the system CAs; with one, trusting exactly
     * the certificates in that PEM file of the share, read under the share's complete-read rule.
     */
    public HttpClient client(ShareLayout share, Optional<String> ca) throws BmcException {
        if (ca.isEmpty()) {
            return client("", "", null);
        }
        Path file = share.root().resolve(ca.get());
        byte[] pem;
        try {
            pem = new ShareFileReader(share.root()).read(file, ca.get(), MAX_CA_BYTES)
                    .orElseThrow(() -> BmcException.refused("CA file " + ca.get() + " is not in the share"));
        } catch (IOException | ShareFormatException e) {
            throw BmcException.refused("cannot use CA file " + e.getMessage());
        }
        return client(file + "#" + Arrays.hashCode(pem), ca.get(), pem);
    }

    private HttpClient client(String key, String name, byte[] pem) throws BmcException {
        HttpClient c = clients.get(key);
        if (c != null) {
            return c;
        }
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER);
        if (pem != null) {
            b.sslContext(trusting(name, pem));
        }
        c = b.build();
        clients.putIfAbsent(key, c);
        return clients.get(key);
    }

    private static SSLContext trusting(String ca, byte[] pem) throws BmcException {
        try (InputStream in = new ByteArrayInputStream(pem)) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            ks.load(null, null);
            int i = 0;
            for (Certificate cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, cert);
            }
            if (i == 0) {
                throw BmcException.refused("no certificate in CA file " + ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException e) {
            throw BmcException.refused("cannot use CA file " + ca + ": " + e.getMessage());
        }
    }

    /**
     * One exchange. {@code command}: the request changes something on the node, so a lost answer means it may
     * have been applied.
     */
    public Response send(HttpClient client, String method, URI uri, Map<String, String> headers, String body, boolean command) throws BmcException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        try {
            HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            return new Response(r.statusCode(), r.headers().map(), r.body());
        } catch (HttpConnectTimeoutException e) {
            throw BmcException.unreachable("no connection to " + hostPort(uri) + " within " + timeout.toMillis() + " ms", e);
        } catch (HttpTimeoutException e) {
            throw BmcException.timedOut(hostPort(uri) + " gave no answer within " + timeout.toMillis() + " ms", command);
        } catch (ConnectException e) {
            throw BmcException.unreachable("cannot connect to " + hostPort(uri) + ": " + (e.getMessage() == null ? "connection refused" : e.getMessage()), e);
        } catch (SSLException e) {
            throw BmcException.refused("TLS with " + hostPort(uri) + " failed: " + e.getMessage());
        } catch (IOException e) {
            throw BmcException.timedOut("connection to " + hostPort(uri) + " lost: " + e, command);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BmcException.timedOut("interrupted", command);
        }
    }

    private static String hostPort(URI uri) {
        return uri.getHost() + ":" + uri.getPort();
    }
}
