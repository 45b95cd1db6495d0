package io.headnode.power;

import com.google.inject.Guice;
import io.headnode.contract.BmcAddress;
import io.headnode.contract.MacAddress;
import io.headnode.contract.Machine;
import io.headnode.contract.ShareLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/** Test helpers: a share directory with machines.txt and credentials.conf, fast settings, a service built by PowerModule. */
public final class Fixtures {
    private Fixtures() {
    }

    /** Settings for tests against local BMCs: short timeouts and backoff, no stagger. */
    public static PowerSettings fast() {
        return new PowerSettings(Duration.ofSeconds(3), 2, Duration.ofMillis(50), Duration.ofMillis(200), Duration.ZERO,
                Duration.ofSeconds(5), Duration.ofMillis(100), 8, Duration.ZERO);
    }

    public static Machine machine(int n, String bmc) {
        return new Machine(MacAddress.of(0x52, 0x54, 0x00, 0xaa, n >> 8, n & 0xff), BmcAddress.parse(bmc));
    }

    /** Writes machines.txt and credentials.conf (mode 0600) into {@code dir}. */
    public static ShareLayout share(Path dir, String machines, String credentials) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("machines.txt"), machines);
            Path c = dir.resolve("credentials.conf");
            Files.writeString(c, credentials);
            Files.setPosixFilePermissions(c, PosixFilePermissions.fromString("rw-------"));
            return new ShareLayout(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The share's credentials as PowerModule binds them: read under the complete-read rule, checked against the four drivers. */
    public static CredentialsSource credentials(ShareLayout share) {
        return Guice.createInjector(new PowerModule(share, fast())).getInstance(CredentialsSource.class);
    }

    public static PowerService service(ShareLayout share, PowerSettings settings) {
        return Guice.createInjector(new PowerModule(share, settings)).getInstance(PowerService.class);
    }
}
