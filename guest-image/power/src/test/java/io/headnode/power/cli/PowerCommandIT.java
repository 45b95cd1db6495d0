package io.headnode.power.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.power.ipmi.IpmiSim;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `power ...` end to end: a share with machines.txt, headnode.conf and credentials.conf; real ipmi_sim BMCs. */
class PowerCommandIT {
    @TempDir
    Path dir;

    @Test
    void batchAgainstIpmiSimsWithOneBadPassword() throws Exception {
        try (IpmiSim a = IpmiSim.start(dir.resolve("a"), "pw-a", false);
             IpmiSim b = IpmiSim.start(dir.resolve("b"), "pw-b", false);
             IpmiSim c = IpmiSim.start(dir.resolve("c"), "pw-c", false)) {
            Path share = dir.resolve("share");
            Files.createDirectories(share);
            Files.writeString(share.resolve("machines.txt"), "52:54:00:aa:00:01 " + a.address() + "\n52:54:00:aa:00:02 " + b.address()
                    + "\n52:54:00:aa:00:03 " + c.address() + "\n");
            Files.writeString(share.resolve("headnode.conf"), "vlan = 100\npower-driver = ipmi\n");
            Path creds = share.resolve("credentials.conf");
            Files.writeString(creds, "52:54:00:aa:00:01 user=admin secret=pw-a\n" + b.address() + " user=admin secret=pw-b\n"
                    + "* user=admin secret=not-pw-c\n");
            Files.setPosixFilePermissions(creds, PosixFilePermissions.fromString("rw-------"));

            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            String[] common = {"--share", share.toString(), "--stagger-ms", "100", "--min-interval-ms", "50", "--timeout-ms", "3000", "--settle-ms", "5000"};
            int rc = PowerCommand.run(new PrintWriter(out), new PrintWriter(err), concat(common, "on", "--all"));
            assertThat(rc).as(out + "" + err).isEqualTo(1);
            assertThat(out.toString()).contains("on: 3 node(s), 1 failed, done 2, refused 1").contains("rejected the user or password")
                    .doesNotContain("not-pw-c");
            assertThat(a.log()).containsExactly("power 1");
            assertThat(b.log()).containsExactly("power 1");
            assertThat(c.log()).isEmpty();

            StringWriter out2 = new StringWriter();
            rc = PowerCommand.run(new PrintWriter(out2), new PrintWriter(err), concat(common, "status", "52:54:00:aa:00:01", "52:54:00:aa:00:02"));
            assertThat(rc).isZero();
            assertThat(out2.toString()).contains("status: 2 node(s), 0 failed, done 2");
            assertThat(out2.toString().lines().filter(l -> l.contains(" on ")).count()).isEqualTo(2);
        }
    }

    private static String[] concat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
