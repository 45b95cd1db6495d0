package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @Test
    void writesWholeFilesAndSkipsUnchangedOnes(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("dhcpd.conf");
        assertThat(AtomicFiles.writeIfChanged(f, "a\n".getBytes())).isTrue();
        assertThat(AtomicFiles.writeIfChanged(f, "a\n".getBytes())).isFalse();
        assertThat(Files.readString(f)).isEqualTo("a\n");
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactly("dhcpd.conf");
        }
    }

    @Test
    void removesOnlyTheTempFilesAnInterruptedWriteLeft(@TempDir Path dir) throws Exception {
        // what a SIGKILL between createTempFile and the rename leaves: the temp file, the target untouched
        Path leftover = Files.createTempFile(dir, ".01-52-54-00-aa-00-01.", ".tmp");
        Files.createTempFile(dir, ".status.json.", ".tmp");
        Files.writeString(dir.resolve("01-52-54-00-aa-00-01"), "whole\n");
        Files.writeString(dir.resolve(".hidden.tmp"), "not ours: no random digits\n");
        Files.writeString(dir.resolve("notes.123.tmp"), "not ours: no leading dot\n");
        Files.createDirectories(dir.resolve(".dir.123.tmp"));
        assertThat(AtomicFiles.removeLeftovers(dir)).hasSize(2).contains(leftover.getFileName().toString());
        try (var s = Files.list(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("01-52-54-00-aa-00-01", ".hidden.tmp",
                    "notes.123.tmp", ".dir.123.tmp");
        }
        assertThat(AtomicFiles.removeLeftovers(dir.resolve("missing"))).isEmpty();
    }
}
