package io.headnode.power.ipmi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.headnode.common.exec.CommandException;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.exec.CommandRunner;
import io.headnode.common.exec.CommandSpec;
import io.headnode.contract.BmcCredentials;
import io.headnode.contract.CredentialsFile;
import io.headnode.power.Fixtures;
import io.headnode.power.PowerOutcome.Kind;
import io.headnode.power.PowerState;
import io.headnode.power.driver.BmcClient;
import io.headnode.power.driver.BmcException;
import io.headnode.power.driver.PowerAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class IpmiClientTest {
    @Test
    void passwordNeverOnTheCommandLine() throws Exception {
        BmcCredentials c = CredentialsFile.parse("c", "10.0.0.1 driver=ipmi user=root secret=calvin-pw\n".getBytes(StandardCharsets.UTF_8)).entries().get(0);
        IpmiClient client = (IpmiClient) new IpmiDriver(Fixtures.fast(), new io.headnode.common.exec.ProcessCommandRunner()).open(Fixtures.machine(1, "10.0.0.1"), Optional.of(c));
        assertThat(client.command("chassis", "power", "status"))
                .containsSequence("ipmitool", "-I", "lanplus", "-C", "3", "-H", "10.0.0.1", "-p", "623")
                .contains("-E", "-U", "root").doesNotContain("-P", "calvin-pw").endsWith("chassis", "power", "status");
    }

    @Test
    void passwordGoesThroughTheEnvironmentAndATimeoutIsATimedOutBmcError() throws Exception {
        BmcCredentials c = CredentialsFile.parse("c", "10.0.0.1 driver=ipmi user=root secret=calvin-pw\n".getBytes(StandardCharsets.UTF_8)).entries().get(0);
        List<CommandSpec> seen = new ArrayList<>();
        CommandRunner answers = spec -> {
            seen.add(spec);
            return new CommandResult(spec.argv(), 0, "Chassis Power is on\n", "");
        };
        BmcClient client = new IpmiDriver(Fixtures.fast(), answers).open(Fixtures.machine(1, "10.0.0.1"), Optional.of(c));
        assertThat(client.state()).isEqualTo(PowerState.ON);
        assertThat(seen.get(0).environment()).containsExactly(Map.entry("IPMI_PASSWORD", "calvin-pw"));
        assertThat(seen.get(0).argv()).doesNotContain("calvin-pw");
        assertThat(seen.get(0).timeout()).isEqualTo(Fixtures.fast().callTimeout());

        CommandRunner slow = spec -> {
            throw new CommandException(CommandException.Kind.TIMED_OUT, "ipmitool timed out after 2 s", null);
        };
        BmcClient late = new IpmiDriver(Fixtures.fast(), slow).open(Fixtures.machine(1, "10.0.0.1"), Optional.of(c));
        assertThatThrownBy(() -> late.power(PowerAction.ON)).isInstanceOf(BmcException.class)
                .satisfies(e -> assertThat(((BmcException) e).kind()).isEqualTo(Kind.TIMED_OUT)).hasMessageContaining("ipmitool gave no answer within " + Fixtures.fast().callTimeout().toMillis() + " ms");
        CommandRunner missing = spec -> {
            throw new CommandException(CommandException.Kind.CANNOT_START, "cannot run ipmitool: No such file or directory", null);
        };
        BmcClient none = new IpmiDriver(Fixtures.fast(), missing).open(Fixtures.machine(1, "10.0.0.1"), Optional.of(c));
        assertThatThrownBy(none::state).isInstanceOf(BmcException.class)
                .satisfies(e -> assertThat(((BmcException) e).kind()).isEqualTo(Kind.REFUSED)).hasMessageContaining("cannot run ipmitool");
    }

    @Test
    void classifiesIpmitoolFailures() {
        assertThat(IpmiClient.classify("> RAKP 2 HMAC is invalid\nError: Unable to establish IPMI v2 / RMCP+ session").kind()).isEqualTo(Kind.REFUSED);
        assertThat(IpmiClient.classify("Get Auth Capabilities error\nError: Unable to establish IPMI v2 / RMCP+ session").kind()).isEqualTo(Kind.TIMED_OUT);
        assertThat(IpmiClient.classify("Error: Unable to establish IPMI v2 / RMCP+ session").kind()).isEqualTo(Kind.UNREACHABLE);
        assertThat(IpmiClient.classify("Set Chassis Power Control to Cycle failed: Node busy").retryable()).isTrue();
    }
}
