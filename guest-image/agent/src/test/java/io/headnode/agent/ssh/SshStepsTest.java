package io.headnode.agent.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.FakeRunner;
import io.headnode.agent.apply.StepResult;
import io.headnode.agent.share.ShareReader;
import io.headnode.agent.share.ShareReading;
import io.headnode.agent.share.ShareSnapshot;
import io.headnode.common.exec.CommandResult;
import io.headnode.common.iproute.Address;
import io.headnode.common.iproute.IpRoute;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.AgentStatus.HealthState;
import io.headnode.contract.ShareLayout;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Root's authorized_keys from the share, the host keys and public addresses the status reports. */
class SshStepsTest {
    @TempDir
    Path dir;

    static String resource(String name) throws IOException {
        try (InputStream in = SshStepsTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static String fingerprint(String name) throws IOException {
        return resource("fingerprints").lines().filter(l -> l.startsWith(name + " ")).findFirst().orElseThrow().split(" ")[1];
    }

    ShareSnapshot share(String authorizedKeys) throws IOException {
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("headnode.conf"), "vlan = 7\nprivate-address = 10.0.7.1/24\n");
        Files.writeString(share.resolve("machines.txt"), "");
        if (authorizedKeys != null) {
            Files.writeString(share.resolve("authorized_keys"), authorizedKeys);
        }
        ShareReading r = new ShareReader(new ShareLayout(share)).read();
        assertThat(r.problem()).isEmpty();
        return r.snapshot().orElseThrow();
    }

    AuthorizedKeysStep step(FakeRunner runner) {
        return new AuthorizedKeysStep(dir.resolve("root/.ssh/authorized_keys"),
                new SshAccessWatch(new IpRoute(runner, "ip"), "eth1", new HostKeys(dir.resolve("etc-ssh"))));
    }

    @Test
    void writesRootsKeysFromTheShareAtomicallyWithMode0600AndOnlyWhenTheyChange() throws Exception {
        AuthorizedKeysStep step = step(new FakeRunner());
        String ed = resource("ed25519.pub");
        StepResult r = step.apply(share(ed));
        Path target = dir.resolve("root/.ssh/authorized_keys");
        assertThat(r).isInstanceOf(StepResult.Changed.class);
        assertThat(Files.readString(target)).contains(ed.strip()).startsWith("# authorized_keys, written by headnode\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target.getParent()))).isEqualTo("rwx------");
        assertThat(step.health().get("ssh-keys")).isEqualTo(AgentStatus.Health.ok("1 keys"));
        long mtime = Files.getLastModifiedTime(target).toMillis();
        assertThat(step.apply(share(ed))).isEqualTo(StepResult.UNCHANGED);
        assertThat(Files.getLastModifiedTime(target).toMillis()).isEqualTo(mtime);
        assertThat(step.apply(share(ed + resource("ecdsa.pub")))).isInstanceOf(StepResult.Changed.class);
        assertThat(Files.readString(target)).contains(resource("ecdsa.pub").strip());
        assertThat(dir.resolve("root/.ssh")).isDirectoryNotContaining(p -> p.getFileName().toString().endsWith(".tmp"));
    }

    @Test
    void withoutAuthorizedKeysInTheShareRootsFileIsLeftAlone() throws Exception {
        Path target = Files.createDirectories(dir.resolve("root/.ssh")).resolve("authorized_keys");
        Files.writeString(target, "an admin's own\n");
        AuthorizedKeysStep step = step(new FakeRunner());
        assertThat(step.apply(share(null))).isEqualTo(StepResult.UNCHANGED);
        assertThat(Files.readString(target)).isEqualTo("an admin's own\n");
        assertThat(step.health().get("ssh-keys").state()).isEqualTo(HealthState.UNMANAGED);
        // an empty file in the share: no key at all
        assertThat(step.apply(share(""))).isInstanceOf(StepResult.Changed.class);
        assertThat(Files.readString(target)).isEqualTo("# authorized_keys, written by headnode\n");
    }

    @Test
    void aBadKeyFileMakesTheShareInvalidWithFileLineAndField() throws Exception {
        Path share = Files.createDirectories(dir.resolve("share"));
        Files.writeString(share.resolve("headnode.conf"), "vlan = 7\nprivate-address = 10.0.7.1/24\n");
        Files.writeString(share.resolve("machines.txt"), "");
        Files.writeString(share.resolve("authorized_keys"), resource("ed25519.pub") + "command=\"sh\" " + resource("ecdsa.pub"));
        ShareReading r = new ShareReader(new ShareLayout(share)).read();
        assertThat(r.share().text()).startsWith("invalid: authorized_keys:2: options: 'command=...' is not allowed");
    }

    @Test
    void hostKeysAreReadCheckedAndOrderedWithTheirFingerprints() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc-ssh"));
        assertThat(new HostKeys(etc).read()).isEmpty();
        Files.writeString(etc.resolve("ssh_host_rsa_key.pub"), resource("rsa.pub"));
        Files.writeString(etc.resolve("ssh_host_ed25519_key.pub"), resource("ed25519.pub"));
        Files.writeString(etc.resolve("ssh_host_ecdsa_key.pub"), resource("ecdsa.pub"));
        Files.writeString(etc.resolve("ssh_host_ed25519_key"), "-----BEGIN OPENSSH PRIVATE KEY----- never read\n");
        Files.writeString(etc.resolve("ssh_host_broken_key.pub"), "ssh-ed25519 AAAA\n");
        List<AgentStatus.HostKey> keys = new HostKeys(etc).read();
        assertThat(keys).extracting(AgentStatus.HostKey::type).containsExactly("ssh-ed25519", "ecdsa-sha2-nistp256", "ssh-rsa");
        assertThat(keys).extracting(AgentStatus.HostKey::fingerprint)
                .containsExactly(fingerprint("ed25519"), fingerprint("ecdsa"), fingerprint("rsa"));
        assertThat(new HostKeys(dir.resolve("absent")).read()).isEmpty();
    }

    @Test
    void theStatusGetsThePublicAddressesAndHostKeysOnRefreshEveryFewPolls() throws Exception {
        Path etc = Files.createDirectories(dir.resolve("etc-ssh"));
        Files.writeString(etc.resolve("ssh_host_ed25519_key.pub"), resource("ed25519.pub"));
        FakeRunner runner = new FakeRunner();
        runner.answer = argv -> new CommandResult(argv, 0, "[{\"ifname\":\"eth1\",\"flags\":[\"UP\"],\"addr_info\":["
                + "{\"family\":\"inet6\",\"local\":\"fe80::5054:ff:fe00:1\",\"prefixlen\":64,\"scope\":\"link\"},"
                + "{\"family\":\"inet6\",\"local\":\"2001:db8::10\",\"prefixlen\":64,\"scope\":\"global\"},"
                + "{\"family\":\"inet\",\"local\":\"192.0.2.10\",\"prefixlen\":24,\"scope\":\"global\",\"label\":\"eth1\"}]},"
                + "{\"ifname\":\"eth0\",\"flags\":[\"UP\"],\"addr_info\":[{\"family\":\"inet\",\"local\":\"10.0.7.1\",\"prefixlen\":24,\"scope\":\"global\"}]}]", "");
        SshAccessWatch watch = new SshAccessWatch(new IpRoute(runner, "ip"), "eth1", new HostKeys(etc));
        AuthorizedKeysStep step = new AuthorizedKeysStep(dir.resolve("root/.ssh/authorized_keys"), watch);
        assertThat(watch.current()).isEqualTo(AgentStatus.Ssh.NONE);
        step.maintain();
        assertThat(watch.current().addresses()).containsExactly("192.0.2.10", "2001:db8::10", "fe80::5054:ff:fe00:1");
        assertThat(watch.current().hostKeys()).extracting(AgentStatus.HostKey::fingerprint).containsExactly(fingerprint("ed25519"));
        for (int i = 1; i < AuthorizedKeysStep.REFRESH_EVERY; i++) {
            step.maintain();
        }
        assertThat(runner.commands).hasSize(1);
        step.maintain();
        assertThat(runner.commands).hasSize(2).allMatch(c -> c.equals(List.of("ip", "-json", "addr", "show")));
        // ip failing leaves the addresses empty, the keys stay
        runner.answer = argv -> new CommandResult(argv, 1, "", "Cannot open netlink socket");
        watch.refresh();
        assertThat(watch.current().addresses()).isEmpty();
        assertThat(watch.current().hostKeys()).hasSize(1);
    }

    @Test
    void addressesOrderGlobalV4ThenGlobalV6ThenLinkLocal() {
        assertThat(SshAccessWatch.ordered(List.of(new Address("inet6", "FE80::1", 64, "link", Optional.empty()),
                new Address("inet", "127.0.0.1", 8, "host", Optional.empty()), new Address("inet6", "2001:db8::5", 64, "global", Optional.empty()),
                new Address("inet", "192.0.2.7", 24, "global", Optional.empty())))).containsExactly("192.0.2.7", "2001:db8::5", "fe80::1");
    }
}
