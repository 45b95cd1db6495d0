package io.headnode.agent.http;

import io.headnode.agent.install.InstallEndpoints;
import io.headnode.agent.install.Tokens;
import io.headnode.agent.net.Neighbours;
import io.headnode.contract.MacAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The agent's HTTP routes: {@code GET /ks/01-aa-bb-cc-dd-ee-ff} (the node's kickstart; also as
 * {@code /ks/01-.../user-data} beside a fixed {@code meta-data} and an empty {@code vendor-data}, a NoCloud seed for
 * Ubuntu's autoinstall), {@code POST
 * /boot-default/01-aa-bb-cc-dd-ee-ff} with body {@code token=...} (the installer's callback), and everything else
 * as static files from the tftpboot tree (GET and HEAD only), but {@code /images/...}: the host's image catalog
 * ({@link ImageFiles}). The install side is reached through
 * {@link InstallEndpoints} only.
 *
 * <p>A kickstart or callback for a MAC is handed on only when the request's source address is held by that MAC on
 * the VLAN, as the kernel's neighbour table says ({@link Neighbours}); otherwise 403 (503 when the table cannot be
 * read), and the install is not touched (no boot attempt counted). A host that takes over a node's address but not
 * its MAC gets nothing. The lookup is I/O: it runs on the neighbour table's own thread, and the request holds no thread
 * while it waits.
 */
public final class AgentRoutes implements HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(AgentRoutes.class);
    /** The kickstart, or (a NoCloud seed, profile ubuntu2404) its user-data, meta-data or vendor-data. */
    private static final Pattern KS = Pattern.compile("/ks/01-([0-9a-f]{2}(?:-[0-9a-f]{2}){5})(/user-data|/meta-data|/vendor-data)?");
    private static final Pattern CALLBACK = Pattern.compile("/boot-default/01-([0-9a-f]{2}(?:-[0-9a-f]{2}){5})");
    private final StaticFiles files;
    private final ImageFiles images;
    /**
     * How long a callback waits for its state to reach the disk before answering 503 (which undoes the completion, so
     * the installer's retry succeeds: {@link InstallEndpoints#callback}). The server runs no timer while a route
     * holds a request; this stays under its 10 s request timeout so that a client with the same patience still gets
     * the answer.
     */
    private static final long CALLBACK_WAIT_SECONDS = 8;
    private static final InstallEndpoints.Answer NOT_RECORDED = new InstallEndpoints.Answer(503, "cannot record the callback\n");
    private final InstallEndpoints installs;
    private final Neighbours neighbours;

    /** Without an image catalog ({@code /images/} answers 404). */
    public AgentRoutes(StaticFiles files, InstallEndpoints installs, Neighbours neighbours) {
        this(files, new ImageFiles(java.nio.file.Path.of("/nonexistent/headnode-images")), installs, neighbours);
    }

    public AgentRoutes(StaticFiles files, ImageFiles images, InstallEndpoints installs, Neighbours neighbours) {
        this.files = Objects.requireNonNull(files, "files is null");
        this.images = Objects.requireNonNull(images, "images is null");
        this.installs = Objects.requireNonNull(installs, "installs is null");
        this.neighbours = Objects.requireNonNull(neighbours, "neighbours is null");
    }

    @Override
    public HttpResponse handle(HttpRequest req) {
        return handleAsync(req).join(); // never fails; a callback answers within CALLBACK_WAIT_SECONDS
    }

    /** The callback's answer comes once its state is on disk; it holds no handler thread meanwhile. */
    @Override
    public CompletableFuture<HttpResponse> handleAsync(HttpRequest req) {
        return handleAsync(req, Runnable::run);
    }

    /** As above; what follows the neighbour table's answer (kickstart render, callback) runs on {@code work}. */
    @Override
    public CompletableFuture<HttpResponse> handleAsync(HttpRequest req, Executor work) {
        String path = req.path();
        if (path.startsWith("/boot-default/")) {
            if (!req.method().equals("POST")) {
                return done(HttpResponse.text(405, "POST only\n"));
            }
            Matcher m = CALLBACK.matcher(path);
            MacAddress mac = m.matches() ? mac(m.group(1)) : null;
            if (mac == null) {
                return done(HttpResponse.text(404, "not found\n"));
            }
            String token = token(req.body());
            if (token == null) {
                return done(HttpResponse.text(400, "expected token=...\n"));
            }
            return heldBy(mac, req.remoteAddress(), "install callback", work, () -> installs.callback(mac, req.remoteAddress(), token)
                    .completeOnTimeout(NOT_RECORDED, CALLBACK_WAIT_SECONDS, TimeUnit.SECONDS)
                    .exceptionally(e -> NOT_RECORDED)
                    .thenApply(a -> HttpResponse.text(a.status(), a.body())));
        }
        if (!req.method().equals("GET") && !req.method().equals("HEAD")) {
            return done(HttpResponse.text(405, "method not allowed\n"));
        }
        if (path.startsWith("/ks/")) {
            Matcher m = KS.matcher(path);
            MacAddress mac = m.matches() ? mac(m.group(1)) : null;
            if (mac == null) {
                return done(HttpResponse.text(404, "not found\n"));
            }
            return heldBy(mac, req.remoteAddress(), "kickstart", work, () -> {
                if ("/meta-data".equals(m.group(2))) {
                    // NoCloud's meta-data: fixed per node; touches no install state (only user-data counts a boot attempt)
                    return done(HttpResponse.text(200, "instance-id: headnode-" + mac.pxelinuxConfigName() + "\n"));
                }
                if ("/vendor-data".equals(m.group(2))) {
                    return done(HttpResponse.text(200, ""));
                }
                InstallEndpoints.Answer a = installs.kickstart(mac, req.remoteAddress());
                return done(HttpResponse.text(a.status(), a.body()));
            });
        }
        if (ImageFiles.handles(path)) {
            return done(images.serve(req));
        }
        return done(files.serve(req));
    }

    private static CompletableFuture<HttpResponse> done(HttpResponse r) {
        return CompletableFuture.completedFuture(r);
    }

    /**
     * {@code then} when {@code source} is held by {@code mac} on the VLAN; else the refusal (logged once per request).
     * The neighbour table is asked without holding this handler thread ({@link Neighbours#macOfAsync}).
     */
    private CompletableFuture<HttpResponse> heldBy(MacAddress mac, String source, String what, Executor work,
                                                   Supplier<CompletableFuture<HttpResponse>> then) {
        return neighbours.macOfAsync(source).handleAsync((holder, e) -> {
            if (e != null) {
                Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
                try (var c = MDC.putCloseable("mac", mac.value())) {
                    LOG.warn("{} for {} from {} refused: cannot read the neighbour table: {}", what, mac, source, cause.toString());
                }
                return done(HttpResponse.text(503, "cannot check the source's MAC\n"));
            }
            if (holder.isPresent() && holder.get().equals(mac)) {
                return then.get();
            }
            try (var c = MDC.putCloseable("mac", mac.value())) {
                LOG.warn("{} for {} from {} refused: on the VLAN that address is held by {}, not by the node", what, mac, source,
                        holder.map(MacAddress::value).orElse("no resolved MAC"));
            }
            return done(HttpResponse.text(403, "forbidden\n"));
        }, work).thenCompose(f -> f);
    }

    /**
     * The MAC of a path, or null if it is none a node can have: the pattern admits any 12 hex digits, a multicast MAC
     * among them, which {@link MacAddress} refuses (found by fuzzing: that refusal escaped as a 500).
     */
    private static MacAddress mac(String dashed) {
        try {
            return MacAddress.parse(dashed);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The token from a form body {@code token=<43 url-safe chars>} (a trailing newline is allowed). */
    static String token(byte[] body) {
        String s = new String(body, StandardCharsets.US_ASCII).strip();
        if (!s.startsWith("token=")) {
            return null;
        }
        String t = s.substring(6);
        return Tokens.wellFormed(t) ? t : null;
    }
}
