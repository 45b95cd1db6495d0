package io.headnode.power.redfish;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Holds FakeRedfish against DMTF's own client, redfishtool (credentials from its -c file, not the command line). */
class FakeRedfishRedfishtoolIT {
    @TempDir
    Path dir;
    FakeRedfish bmc;

    @BeforeEach
    void start() {
        bmc = FakeRedfish.start("root", "calvin", false);
    }

    @AfterEach
    void stop() {
        bmc.close();
    }

    private CommandResult redfishtool(String user, String password, String auth, String... args) throws Exception {
        Path cfg = dir.resolve("rft-" + user + "-" + password + ".json");
        Files.writeString(cfg, "{\"user\": \"" + user + "\", \"password\": \"" + password + "\"}");
        Files.setPosixFilePermissions(cfg, PosixFilePermissions.fromString("rw-------"));
        List<String> cmd = new ArrayList<>(List.of("redfishtool", "-r", bmc.address(), "-S", "Always", "-A", auth, "-c", cfg.toString(), "-T", "10"));
        cmd.addAll(List.of(args));
        return Command.run(Duration.ofSeconds(60), cmd);
    }

    @Test
    void redfishtoolReadsResetsAndSetsBootOverride() throws Exception {
        for (String auth : new String[] {"Session", "Basic"}) {
            CommandResult get = redfishtool("root", "calvin", auth, "Systems", "-1");
            assertThat(get.exitCode()).as(get.stderr()).isZero();
            assertThat(get.stdout()).contains("\"PowerState\": \"Off\"").contains("#ComputerSystem.Reset");
        }
        CommandResult on = redfishtool("root", "calvin", "Session", "Systems", "-1", "reset", "On");
        assertThat(on.exitCode()).as(on.stderr()).isZero();
        assertThat(bmc.isOn()).isTrue();
        CommandResult boot = redfishtool("root", "calvin", "Session", "Systems", "-1", "setBootOverride", "Once", "Pxe");
        assertThat(boot.exitCode()).as(boot.stderr()).isZero();
        assertThat(bmc.boot()).isEqualTo("Once Pxe");
        CommandResult off = redfishtool("root", "calvin", "Basic", "Systems", "-1", "reset", "ForceOff");
        assertThat(off.exitCode()).as(off.stderr()).isZero();
        assertThat(bmc.isOn()).isFalse();
        assertThat(bmc.log()).containsExactly("reset On", "boot Once Pxe", "reset ForceOff");
    }

    @Test
    void redfishtoolWithWrongPasswordFails() throws Exception {
        CommandResult r = redfishtool("root", "hobbes", "Session", "Systems", "-1", "reset", "On");
        assertThat(r.exitCode()).isNotZero();
        assertThat(bmc.isOn()).isFalse();
        assertThat(bmc.log()).isEmpty();
    }
}
