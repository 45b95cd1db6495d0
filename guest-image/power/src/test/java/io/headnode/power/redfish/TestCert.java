package io.headnode.power.redfish;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/** A self-signed certificate for 127.0.0.1 made once per test JVM with the JDK's keytool; its PEM is what a driver is told to trust. */
public final class TestCert {
    private static final char[] PASSWORD = "fake-bmc-store".toCharArray();
    private static Path dir;

    private TestCert() {
    }

    private static synchronized Path dir() {
        if (dir == null) {
            try {
                Path d = Files.createTempDirectory("fake-bmc-cert");
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                run(List.of(keytool, "-genkeypair", "-alias", "bmc", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=fake-redfish",
                        "-ext", "san=ip:127.0.0.1", "-validity", "7", "-storetype", "PKCS12", "-keystore", d.resolve("bmc.p12").toString(),
                        "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)));
                run(List.of(keytool, "-exportcert", "-rfc", "-alias", "bmc", "-keystore", d.resolve("bmc.p12").toString(),
                        "-storepass", new String(PASSWORD), "-file", d.resolve("bmc-ca.pem").toString()));
                d.toFile().deleteOnExit();
                d.resolve("bmc.p12").toFile().deleteOnExit();
                d.resolve("bmc-ca.pem").toFile().deleteOnExit();
                dir = d;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return dir;
    }

    private static void run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException(cmd.get(1) + " failed: " + out);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The certificate in PEM, for {@code ca=}. */
    public static Path pem() {
        return dir().resolve("bmc-ca.pem");
    }

    public static SSLContext serverContext() {
        try (InputStream in = Files.newInputStream(dir().resolve("bmc.p12"))) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(in, PASSWORD);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, PASSWORD);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), null, null);
            return ctx;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
