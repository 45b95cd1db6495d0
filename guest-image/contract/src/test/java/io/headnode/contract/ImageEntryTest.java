package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ImageEntryTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    private static final String FILE = "/var/lib/headnode-images/debian-12.image";

    private static ImageEntry parse(String text) throws ShareFormatException {
        return ImageEntry.parse(FILE, text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsAnEntryAndWritesItBack() throws Exception {
        ImageEntry e = parse("name = debian-12\nformat = raw\nsize = 2147483648\nsha256 = " + SHA + "\nsource-format = qcow2\n"
                + "added = 2026-12-02T11:50:00Z\ngzip-size = 1000\ngzip-sha256 = " + SHA + "\n");
        assertThat(e.name()).isEqualTo(new ImageName("debian-12"));
        assertThat(e.size()).isEqualTo(2147483648L);
        assertThat(e.sha256().hex()).isEqualTo(SHA);
        assertThat(e.sourceFormat()).isEqualTo("qcow2");
        assertThat(e.added()).contains(Instant.parse("2026-12-02T11:50:00Z"));
        assertThat(e.variant(ImageCompression.GZIP)).contains(new ImageVariant(ImageCompression.GZIP, 1000, new Sha256(SHA)));
        assertThat(e.variant(ImageCompression.ZSTD)).isEmpty();
        assertThat(e.dataFileName()).isEqualTo("debian-12.raw");
        assertThat(e.variantFileName(ImageCompression.GZIP)).isEqualTo("debian-12.raw.gz");
        assertThat(ImageEntry.parse(FILE, e.render())).isEqualTo(e);
    }

    @Test
    void theMinimalEntryDefaultsToRawSource() throws Exception {
        ImageEntry e = parse("name = debian-12\nformat = raw\nsize = 1\nsha256 = " + SHA + "\n");
        assertThat(e.sourceFormat()).isEqualTo("raw");
        assertThat(e.added()).isEmpty();
        assertThat(e.variants()).isEmpty();
        assertThat(ImageEntry.parse(FILE, e.render())).isEqualTo(e);
    }

    @Test
    void refusalsNameFileLineAndField() {
        String ok = "name = debian-12\nformat = raw\nsize = 5\nsha256 = " + SHA + "\n";
        assertThatThrownBy(() -> parse(ok.replace("format = raw", "format = qcow2")))
                .hasMessage(FILE + ":2: format: 'qcow2' is not raw (images are stored and served raw)");
        assertThatThrownBy(() -> parse(ok.replace("size = 5", "size = 0")))
                .hasMessage(FILE + ":3: size: 0 is outside 1..17592186044416 bytes");
        assertThatThrownBy(() -> parse(ok.replace("size = 5", "size = five")))
                .hasMessage(FILE + ":3: size: 'five' is not a whole number");
        assertThatThrownBy(() -> parse(ok.replace(SHA, SHA.toUpperCase())))
                .hasMessageStartingWith(FILE + ":4: sha256: '9F86");
        assertThatThrownBy(() -> parse(ok.replace("debian-12", "other")))
                .hasMessage(FILE + ":1: name: 'other' does not match the file name debian-12.image (expected other.image)");
        assertThatThrownBy(() -> parse(ok.replace("debian-12", "../x")))
                .hasMessageStartingWith(FILE + ":1: name: '../x' is not an image name");
        assertThatThrownBy(() -> parse(ok + "gzip-size = 10\n"))
                .hasMessage(FILE + ":5: gzip-size: given without gzip-sha256");
        assertThatThrownBy(() -> parse(ok + "colour = blue\n"))
                .hasMessageStartingWith(FILE + ":5: colour: unknown key");
        assertThatThrownBy(() -> parse(ok + "size = 6\n"))
                .hasMessage(FILE + ":5: size: given twice (first on line 3)");
        assertThatThrownBy(() -> parse(ok.replace("format = raw\n", "")))
                .hasMessage(FILE + ": format: missing");
        assertThatThrownBy(() -> parse(ok + "added = yesterday\n"))
                .hasMessageStartingWith(FILE + ":5: added: 'yesterday' is not an ISO-8601");
        assertThatThrownBy(() -> parse(ok + "#".repeat(ImageEntry.MAX_BYTES)))
                .isInstanceOf(ShareFormatException.class).hasMessageContaining("larger than");
    }

    @Test
    void namesAreFileNamesAndUrlSegmentsAsTheyAre() {
        assertThat(new ImageName("debian-12.5_b").value()).isEqualTo("debian-12.5_b");
        for (String bad : new String[] {"", ".", "..", ".x", "-x", "Debian", "a/b", "a b", "x".repeat(65), "x.raw", "x.image", "x.gz", "x.zst", "x.tmp"}) {
            assertThatThrownBy(() -> new ImageName(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void theCatalogDefinesTheFileAndUrlNames() {
        ImageName n = new ImageName("debian-12");
        ImageCatalog c = new ImageCatalog(ImageCatalog.HOST_DIRECTORY);
        assertThat(c.entryFile(n)).hasToString("/var/lib/headnode-images/debian-12.image");
        assertThat(c.dataFile(n)).hasToString("/var/lib/headnode-images/debian-12.raw");
        assertThat(c.variantFile(n, ImageCompression.ZSTD)).hasToString("/var/lib/headnode-images/debian-12.raw.zst");
        assertThat(ImageCatalog.urlPath(n, Optional.empty())).isEqualTo("/images/debian-12");
        assertThat(ImageCatalog.urlPath(n, Optional.of(ImageCompression.GZIP))).isEqualTo("/images/debian-12.raw.gz");
        assertThat(new ImageEntry(n, 1, new Sha256(ImageEntryTest.SHA), "raw", Optional.empty(), Map.of()).fileName()).isEqualTo("debian-12.image");
    }
}
