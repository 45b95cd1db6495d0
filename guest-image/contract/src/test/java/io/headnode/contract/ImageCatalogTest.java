package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageCatalogTest {
    private static final String SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

    @TempDir
    Path dir;

    private void write(String file, String text) throws Exception {
        Files.writeString(dir.resolve(file), text, StandardCharsets.UTF_8);
    }

    @Test
    void listsValidEntriesAndReportsBadOnesWithoutHidingTheRest() throws Exception {
        ImageCatalog c = new ImageCatalog(dir);
        ImageEntry a = new ImageEntry(new ImageName("alpha"), 10, new Sha256(SHA), "raw", Optional.empty());
        AtomicFiles.writeIfChanged(c.entryFile(a.name()), a.render());
        write("beta.image", "name = beta\nformat = qcow2\nsize = 1\nsha256 = " + SHA + "\n");
        write("gamma.image", "name = gamma\nformat = raw\nsize = 1\nsha256 = " + SHA); // torn: no final newline
        write("delta.raw", "data without an entry: an add in progress");
        write(".hidden.image.123.tmp", "x");
        ImageCatalog.Listing l = c.list();
        assertThat(l.images()).containsExactly(a);
        assertThat(l.errors()).extracting(Throwable::getMessage).containsExactly(
                dir.resolve("beta.image") + ":2: format: 'qcow2' is not raw (images are stored and served raw)",
                dir.resolve("gamma.image") + ":4: file: incomplete: the last line has no newline (truncated or torn write)");
        assertThat(l.find(new ImageName("alpha"))).contains(a);
        assertThat(c.read(new ImageName("alpha"))).contains(a);
        assertThat(c.read(new ImageName("delta"))).isEmpty();
    }

    @Test
    void aMissingDirectoryIsAnEmptyCatalog() throws Exception {
        ImageCatalog.Listing l = new ImageCatalog(dir.resolve("none")).list();
        assertThat(l.images()).isEmpty();
        assertThat(l.errors()).isEmpty();
    }
}
