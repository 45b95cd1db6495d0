package io.headnode.orchestrator.reconcile.action;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CreateDirectoryTest {
    @Test
    void everyParentItMakesIsEnterableAndAnExistingOneIsLeftAlone(@TempDir Path dir) throws Exception {
        Path existing = Files.createDirectory(dir.resolve("existing"));
        Files.setPosixFilePermissions(existing, PosixFilePermissions.fromString("rwx--x--x"));
        Path share = existing.resolve("a/b/100");
        new CreateDirectory(share).apply();
        for (Path p : new Path[] {existing.resolve("a"), existing.resolve("a/b"), share}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(p))).as(p.toString()).isEqualTo("rwxr-xr-x");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(existing))).isEqualTo("rwx--x--x");
        new CreateDirectory(share).apply();   // twice: nothing to make, still fine
        assertThat(Files.isDirectory(share)).isTrue();
    }
}
