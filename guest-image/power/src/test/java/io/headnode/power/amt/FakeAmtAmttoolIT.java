package io.headnode.power.amt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Holds FakeAmt against a real AMT client: amttool (Debian's amtterm), over its SOAP services and digest auth. */
class FakeAmtAmttoolIT {
    FakeAmt amt;

    @BeforeEach
    void start() {
        amt = FakeAmt.start("admin", "Amt-Pa55", false);
    }

    @AfterEach
    void stop() {
        amt.close();
    }

    private String amttool(String password, String command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(List.of("amttool", amt.address(), command)).redirectErrorStream(true);
        pb.environment().put("AMT_PASSWORD", password);
        Process p = pb.start();
        try (OutputStream in = p.getOutputStream()) {
            in.write("y\n".getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    @Test
    void amttoolReadsStateAndPowersUpAndDown() throws Exception {
        String info = amttool("Amt-Pa55", "info");
        assertThat(info).contains("AMT version:  5.2.10").contains("Powerstate:   S5 (soft-off)").contains("PXE-boot");

        assertThat(amttool("Amt-Pa55", "powerup")).contains("result: pt_status: success");
        assertThat(amt.isOn()).isTrue();
        assertThat(amttool("Amt-Pa55", "info")).contains("Powerstate:   S0");
        assertThat(amttool("Amt-Pa55", "powercycle")).contains("result: pt_status: success");
        assertThat(amttool("Amt-Pa55", "powerdown")).contains("result: pt_status: success");
        assertThat(amt.isOn()).isFalse();
        assertThat(amt.log()).containsExactly("eoi 17", "eoi 19", "eoi 18");
    }

    @Test
    void amttoolWithAWrongPasswordIsRejected() throws Exception {
        String out = amttool("not-it", "powerup");
        assertThat(out).contains("result: soap failure").doesNotContain("pt_status: success");
        assertThat(amt.isOn()).isFalse();
        assertThat(amt.log()).isEmpty();
    }
}
