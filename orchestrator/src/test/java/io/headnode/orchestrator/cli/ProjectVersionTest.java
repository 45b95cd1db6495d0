package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.orchestrator.TestHost;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code headnode --version} prints the version the build wrote (the Debian package's version is made from it). */
class ProjectVersionTest {
    @TempDir
    Path tmp;

    @Test
    void versionIsTheProjectVersion() throws Exception {
        TestHost.Run r = new TestHost(tmp, "test:///default", List.of(), "br0").cli("--version");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out().strip()).isEqualTo("headnode " + ProjectVersion.version());
        assertThat(ProjectVersion.version()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?").isEqualTo(System.getProperty("project.version"));
    }
}
