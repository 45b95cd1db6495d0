package io.headnode.power.ipmi;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.BmcCredentials;
import io.headnode.contract.CredentialsFile;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerOutcome.Kind;
import io.headnode.power.driver.ProcessRunner;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpmiClientTest {
    @Test
    void passwordNeverOnTheCommandLine() throws Exception {
        BmcCredentials c = CredentialsFile.parse("c", "10.0.0.1 driver=ipmi user=root secret=calvin-pw\n".getBytes(StandardCharsets.UTF_8)).entries().get(0);
        IpmiClient client = (IpmiClient) new IpmiDriver(Fixtures.fast(), new ProcessRunner()).open(Fixtures.machine(1, "10.0.0.1"), Optional.of(c));
        assertThat(client.command("chassis", "power", "status"))
                .containsSequence("ipmitool", "-I", "lanplus", "-C", "3", "-H", "10.0.0.1", "-p", "623")
                .contains("-E", "-U", "root").doesNotContain("-P", "calvin-pw").endsWith("chassis", "power", "status");
    }

    @Test
    void classifiesIpmitoolFailures() {
        assertThat(IpmiClient.classify("> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session").kind()).isEqualTo(Kind.REFUSED);
        assertThat(IpmiClient.classify("Get Auth Capabilities error\nError: Unable to establish IPMI v2 / RMCP+ session").kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(IpmiClient.classify("Error: Unable to establish IPMI v2 / RMCP+ session").kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(IpmiClient.classify("Set Chassis Power Control to Cycle failed: Node busy").retryable()).isTrue();
    }
}
