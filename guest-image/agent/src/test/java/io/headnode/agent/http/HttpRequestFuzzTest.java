package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.agent.install.InstallEndpoints;
import io.headnode.contract.MacAddress;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FileRegion;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseDecoder;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Fuzzes the agent's HTTP request handling on Netty, in-process: the connection pipeline the server builds
 * ({@link HttpPipeline}: request head decoding in {@link PacedRequestDecoder}, body aggregation, {@link RouteDispatcher})
 * with the agent's real routes ({@link AgentRoutes}: kickstart, the callback body, static files with Range) over an
 * {@link EmbeddedChannel}. Input: byte 0 = the size of the pieces the bytes arrive in (1..64), then what the client
 * sends. Seeds: HttpRequestFuzzTestInputs/request.
 *
 * <p>The contract: whatever arrives, no exception escapes the pipeline, every answer is well-formed HTTP/1.1 (it
 * decodes, has a Content-Length that matches its body, a status the agent sends, no 500), nothing follows an answer
 * that says {@code Connection: close} and the connection is closed after it, and once the timeouts have passed the
 * connection is closed and every connection and request-in-progress permit is back (no memory held). The statuses the
 * server reports for its metrics are exactly those of the answers sent.
 */
class HttpRequestFuzzTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("10.100.0.2", 40000);
    private static final MacAddress NODE = MacAddress.parse("52:54:00:aa:00:01");
    static final String TOKEN = "A".repeat(43);
    private static final Set<Integer> STATUSES = Set.of(200, 206, 400, 403, 404, 405, 409, 410, 413, 414, 416, 431, 503);
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final StaticFiles FILES = files();
    private static final AgentRoutes ROUTES = new AgentRoutes(FILES, new Endpoints(), address -> java.util.Optional.of(NODE)); // the peer is the node

    @FuzzTest
    void request(byte[] input) {
        if (input.length < 1) {
            return;
        }
        int piece = (input[0] & 0x3f) + 1;
        byte[] sent = Arrays.copyOfRange(input, 1, input.length);
        HttpLimits limits = HttpLimits.defaults(TIMEOUT);
        AddressLimiter connections = new AddressLimiter(limits.maxConnections(), limits.maxPerAddress());
        AddressLimiter inProgress = new AddressLimiter(limits.maxRequestsInProgress(), limits.maxRequestsInProgressPerAddress());
        List<Integer> answered = new ArrayList<>();
        Client ch = new Client(new HttpPipeline(limits, connections, inProgress, ROUTES, Runnable::run, answered::add));
        Queue<HttpMethod> methods = new ArrayDeque<>();
        ch.pipeline().addBefore(ch.pipeline().context(RouteDispatcher.class).name(), "methods", new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                methods.add(((FullHttpRequest) msg).method());
                ctx.fireChannelRead(msg);
            }
        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ch.freezeTime();
            for (int i = 0; i < sent.length && ch.isOpen(); i += piece) {
                ch.writeInbound(Unpooled.wrappedBuffer(sent, i, Math.min(piece, sent.length - i)));
                ch.runPendingTasks();
                drain(ch, out);
            }
            ch.advanceTimeBy(TIMEOUT.toMillis() * 3, TimeUnit.MILLISECONDS);
            ch.runPendingTasks();
            ch.runScheduledPendingTasks();
            drain(ch, out);
            ch.checkException();
            assertThat(ch.isOpen()).as("connection closed once the timeouts passed").isFalse();
            assertThat(connections.open()).isZero();
            assertThat(inProgress.open()).isZero();
        } finally {
            ch.finishAndReleaseAll();
        }
        assertThat(checkAnswers(out.toByteArray(), methods)).as("the answers counted (for metrics) are those sent").isEqualTo(answered);
    }

    /** Decodes what the server sent: only well-formed answers; none after one that closes. */
    private static List<Integer> checkAnswers(byte[] wire, Queue<HttpMethod> methods) {
        // the answers are in the order of the requests; an answer to HEAD has a Content-Length but no body (as in
        // Netty's HttpClientCodec, which pairs answers with the requests it sent)
        HttpResponseDecoder decoder = new HttpResponseDecoder() {
            @Override
            protected boolean isContentAlwaysEmpty(HttpMessage msg) {
                return HttpMethod.HEAD.equals(methods.poll()) || super.isContentAlwaysEmpty(msg);
            }
        };
        EmbeddedChannel client = new EmbeddedChannel(decoder, new HttpObjectAggregator(1 << 20));
        try {
            client.writeInbound(Unpooled.wrappedBuffer(wire));
            client.finish();
            List<FullHttpResponse> answers = new ArrayList<>();
            for (Object o = client.readInbound(); o != null; o = client.readInbound()) {
                answers.add((FullHttpResponse) o);
            }
            int total = 0;
            for (int i = 0; i < answers.size(); i++) {
                FullHttpResponse r = answers.get(i);
                assertThat(r.decoderResult().isSuccess()).as("answer %d decodes: %s", i, r.decoderResult()).isTrue();
                assertThat(STATUSES).contains(r.status().code());
                assertThat(r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isNotNull().isNotNegative();
                if (r.content().isReadable()) {
                    assertThat(r.headers().getInt(HttpHeaderNames.CONTENT_LENGTH)).isEqualTo(r.content().readableBytes());
                }
                if ("close".equals(r.headers().get(HttpHeaderNames.CONNECTION))) {
                    assertThat(i).as("nothing after an answer that closes").isEqualTo(answers.size() - 1);
                }
                total += r.content().readableBytes();
            }
            assertThat(total).isLessThanOrEqualTo(wire.length);
            return answers.stream().map(r -> r.status().code()).toList();
        } finally {
            client.finishAndReleaseAll();
        }
    }

    /** Moves what the server wrote (bytes and file regions) to {@code out}. */
    private static void drain(EmbeddedChannel ch, ByteArrayOutputStream out) {
        WritableByteChannel sink = Channels.newChannel(out);
        for (Object o = ch.readOutbound(); o != null; o = ch.readOutbound()) {
            try {
                if (o instanceof ByteBuf b) {
                    b.readBytes(out, b.readableBytes());
                } else if (o instanceof FileRegion f) {
                    while (f.transferred() < f.count()) {
                        f.transferTo(sink, f.transferred());
                    }
                } else {
                    throw new AssertionError("unexpected outbound message " + o.getClass());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } finally {
                ReferenceCountUtil.release(o);
            }
        }
    }

    /** An in-process connection from {@link #PEER}. */
    private static final class Client extends EmbeddedChannel {
        Client(ChannelHandler handler) {
            super(handler);
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return PEER;
        }
    }

    /** The tftpboot tree: a boot file, a kernel in a directory, a hidden file and a link out of the tree. */
    private static StaticFiles files() {
        try {
            Path root = Files.createTempDirectory("http-fuzz");
            Files.write(root.resolve("pxelinux.0"), new byte[1000]);
            Files.createDirectories(root.resolve("centos"));
            Files.writeString(root.resolve("centos/vmlinuz"), "kernel\n");
            Files.writeString(root.resolve(".hidden"), "secret\n");
            Files.createSymbolicLink(root.resolve("out"), Path.of("/etc/hostname"));
            for (String f : List.of("out", ".hidden", "centos/vmlinuz", "centos", "pxelinux.0", "")) {
                root.resolve(f).toFile().deleteOnExit();
            }
            return new StaticFiles(root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The install side: one node with an active install, reachable from {@link #PEER} only. */
    private static final class Endpoints implements InstallEndpoints {
        @Override
        public Answer kickstart(MacAddress mac, String source) {
            if (!mac.equals(NODE)) {
                return new Answer(404, "no install\n");
            }
            return source.equals(PEER.getAddress().getHostAddress()) ? new Answer(200, "# kickstart\n") : new Answer(403, "not yours\n");
        }

        @Override
        public CompletableFuture<Answer> callback(MacAddress mac, String source, String token, String failure) {
            boolean ok = mac.equals(NODE) && source.equals(PEER.getAddress().getHostAddress()) && token.equals(TOKEN);
            return CompletableFuture.completedFuture(ok ? new Answer(200, "ok\n") : new Answer(403, "refused\n"));
        }

        @Override
        public CompletableFuture<Answer> report(MacAddress mac, String source, String token) {
            return callback(mac, source, token, null);
        }
    }
}
