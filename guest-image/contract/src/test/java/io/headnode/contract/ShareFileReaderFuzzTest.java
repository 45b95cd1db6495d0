package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.testing.ParserErrors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fuzzes the share's complete-read rule with real files. Input: byte 0 picks what the name is (a regular file, a link
 * to one inside or outside the share, a dangling link, a directory, a FIFO, a link to a FIFO or to /dev/zero), byte 1
 * the size bound (0..510), the rest is the file's content. Seeds: ShareFileReaderFuzzTestInputs/read. Only a complete
 * regular file inside the share within the bound is read, byte for byte; a dangling link is "no file"; everything else
 * is a {@link ShareFormatException} naming the file and a line. Nothing blocks, nothing else is thrown.
 */
class ShareFileReaderFuzzTest {
    private static final String NAME = "fuzz.txt";
    private static final String[] KINDS = {"file", "link-inside", "link-outside", "dangling", "directory", "fifo", "link-to-fifo", "dev-zero"};
    @TempDir
    static Path dir;
    private static Path share;
    private static Path outside;

    @BeforeAll
    static void layout() throws IOException, InterruptedException {
        share = Files.createDirectories(dir.resolve("share"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.createSymbolicLink(share.resolve("link-inside"), share.resolve("file"));
        Files.createSymbolicLink(share.resolve("link-outside"), outside.resolve("file"));
        Files.createSymbolicLink(share.resolve("dangling"), share.resolve("none"));
        Files.createDirectory(share.resolve("directory"));
        Process p = new ProcessBuilder("mkfifo", share.resolve("fifo").toString()).inheritIO().start();
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            fail("mkfifo failed");
        }
        Files.createSymbolicLink(share.resolve("link-to-fifo"), share.resolve("fifo"));
        Files.createSymbolicLink(share.resolve("dev-zero"), Path.of("/dev/zero"));
    }

    @FuzzTest
    void read(byte[] input) throws IOException {
        if (input.length < 2) {
            return;
        }
        String kind = KINDS[input[0] & 7];
        int maxBytes = (input[1] & 0xff) * 2;
        byte[] content = Arrays.copyOfRange(input, 2, input.length);
        Files.write(share.resolve("file"), content);
        Files.write(outside.resolve("file"), content);
        Optional<byte[]> read;
        try {
            read = new ShareFileReader(share).read(share.resolve(kind), NAME, maxBytes);
        } catch (ShareFormatException e) {
            ParserErrors.check(e, NAME, content);
            assertThat(e.field()).isEqualTo("file");
            if (kind.equals("file") || kind.equals("link-inside")) {
                assertThat(content.length > maxBytes || content.length > 0 && content[content.length - 1] != '\n').as("refused: %s", e.getMessage()).isTrue();
            } else {
                assertThat(e.line()).isZero();
            }
            return;
        }
        if (kind.equals("dangling")) {
            assertThat(read).isEmpty();
            return;
        }
        assertThat(kind).isIn("file", "link-inside");
        assertThat(content.length).isLessThanOrEqualTo(maxBytes);
        assertThat(content.length == 0 || content[content.length - 1] == '\n').isTrue();
        assertThat(read).hasValueSatisfying(b -> assertThat(b).isEqualTo(content));
    }
}
