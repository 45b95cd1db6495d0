package io.headnode.agent.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.AtomicFiles;
import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageCompression;
import io.headnode.contract.ImageEntry;
import io.headnode.contract.ImageName;
import io.headnode.contract.ImageVariant;
import io.headnode.contract.Sha256;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /images/NAME}: the catalog's raw images (and stored compressed copies), with Range, and nothing else. */
class ImageFilesTest {
    @TempDir
    Path dir;
    Path root;
    ImageFiles images;
    byte[] data;
    byte[] gz;

    static HttpRequest get(String path, String range) {
        return new HttpRequest("GET", path, range == null ? Map.of() : Map.of("range", range), new byte[0], "10.0.0.5");
    }

    static Sha256 sha(byte[] b) throws Exception {
        return Sha256.of(MessageDigest.getInstance("SHA-256").digest(b));
    }

    @BeforeEach
    void catalog() throws Exception {
        root = dir.resolve("images");
        Files.createDirectories(root);
        data = new byte[(1 << 20) + 17];
        new Random(3).nextBytes(data);
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(b)) {
            z.write(data);
        }
        gz = b.toByteArray();
        ImageCatalog c = new ImageCatalog(root);
        ImageName n = new ImageName("deb");
        Files.write(c.dataFile(n), data);
        Files.write(c.variantFile(n, ImageCompression.GZIP), gz);
        AtomicFiles.writeIfChanged(c.entryFile(n), new ImageEntry(n, data.length, sha(data), "raw", Optional.empty(),
                Map.of(ImageCompression.GZIP, new ImageVariant(ImageCompression.GZIP, gz.length, sha(gz)))).render());
        Files.writeString(root.resolve("secret"), "not an image\n");
        images = new ImageFiles(root);
    }

    @Test
    void theRawImageIsAFileRegionOfItsCatalogSizeWithRanges() {
        HttpResponse whole = images.serve(get("/images/deb", null));
        assertThat(whole.status()).isEqualTo(200);
        assertThat(whole.file()).isEqualTo(root.resolve("deb.raw"));
        assertThat(whole.length()).isEqualTo(data.length);
        HttpResponse part = images.serve(get("/images/deb", "bytes=1048576-"));
        assertThat(part.status()).isEqualTo(206);
        assertThat(part.offset()).isEqualTo(1 << 20);
        assertThat(part.length()).isEqualTo(17);
        assertThat(part.totalLength()).isEqualTo(data.length);
        assertThat(images.serve(get("/images/deb", "bytes=" + data.length + "-")).status()).isEqualTo(416);
        HttpResponse z = images.serve(get("/images/deb.raw.gz", null));
        assertThat(z.status()).isEqualTo(200);
        assertThat(z.file()).isEqualTo(root.resolve("deb.raw.gz"));
        assertThat(z.length()).isEqualTo(gz.length);
        assertThat(images.serve(get("/images/deb.raw.zst", null)).status()).isEqualTo(404);
    }

    @Test
    void unknownNamesAndPathTricksAre404() {
        for (String p : new String[] {"/images/", "/images/nope", "/images/secret", "/images/deb.image", "/images/deb.raw", "/images/../images/deb",
                "/images/%64eb", "/images/deb/", "/images/./deb", "/images/.lock", "/images/DEB", "/images/deb%00", "/images//deb",
                "/images/../../etc/passwd", "/images/deb.raw.gz/x"}) {
            assertThat(images.serve(get(p, null)).status()).as(p).isEqualTo(404);
        }
    }

    @Test
    void aDataFileThatIsNotWhatTheEntrySaysIsRefused() throws Exception {
        Files.write(root.resolve("deb.raw"), Arrays.copyOf(data, data.length - 1)); // truncated on the host
        assertThat(images.serve(get("/images/deb", null)).status()).isEqualTo(503);
        Files.delete(root.resolve("deb.raw"));
        Files.createSymbolicLink(root.resolve("deb.raw"), root.resolve("secret"));
        assertThat(images.serve(get("/images/deb", null)).status()).isEqualTo(503);
        Files.writeString(root.resolve("deb.image"), "name = deb\nformat = qcow2\n");
        assertThat(images.serve(get("/images/deb", null)).status()).isEqualTo(503);
        assertThat(new ImageFiles(dir.resolve("not-mounted")).serve(get("/images/deb", null)).status()).isEqualTo(404);
    }

    @Test
    void overTheWireTheBytesAndRangesAreTheImages() throws Exception {
        AgentRoutes routes = new AgentRoutes(new StaticFiles(Files.createDirectories(dir.resolve("tftp"))), images,
                new io.headnode.agent.install.InstallEndpoints() {
                    @Override
                    public Answer kickstart(io.headnode.contract.MacAddress mac, String source) {
                        return new Answer(404, "");
                    }

                    @Override
                    public java.util.concurrent.CompletableFuture<Answer> callback(io.headnode.contract.MacAddress mac, String source, String token) {
                        return java.util.concurrent.CompletableFuture.completedFuture(new Answer(404, ""));
                    }
                }, address -> Optional.empty());
        HttpServer server = new HttpServer(new InetSocketAddress("127.0.0.1", 0), 2, Duration.ofSeconds(5), routes);
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            String base = "http://127.0.0.1:" + server.address().getPort();
            var whole = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/images/deb")).build(), BodyHandlers.ofByteArray());
            assertThat(whole.statusCode()).isEqualTo(200);
            assertThat(whole.headers().firstValue("content-length")).contains(Integer.toString(data.length));
            assertThat(whole.body()).isEqualTo(data);
            var part = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/images/deb")).header("Range", "bytes=100-199").build(),
                    BodyHandlers.ofByteArray());
            assertThat(part.statusCode()).isEqualTo(206);
            assertThat(part.headers().firstValue("content-range")).contains("bytes 100-199/" + data.length);
            assertThat(part.body()).isEqualTo(Arrays.copyOfRange(data, 100, 200));
            var head = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/images/deb")).method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody()).build(),
                    BodyHandlers.discarding());
            assertThat(head.statusCode()).isEqualTo(200);
            assertThat(head.headers().firstValue("accept-ranges")).contains("bytes");
            var z = client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/images/deb.raw.gz")).build(), BodyHandlers.ofByteArray());
            assertThat(z.body()).isEqualTo(gz);
            assertThat(client.send(java.net.http.HttpRequest.newBuilder(URI.create(base + "/images/..%2fsecret")).build(), BodyHandlers.discarding())
                    .statusCode()).isEqualTo(404);
        } finally {
            server.close();
        }
    }
}
