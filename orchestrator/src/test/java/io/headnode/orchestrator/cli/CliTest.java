package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.contract.InstallRequest;
import io.headnode.orchestrator.FakeHypervisor;
import io.headnode.orchestrator.FakeVlanNetwork;
import io.headnode.orchestrator.TestHost;
import io.headnode.testing.Command;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit codes, one-line errors, dry runs, machines push/show and install requests; nothing here needs libvirt or the kernel's bridges. */
class CliTest {
    @TempDir
    Path tmp;
    TestHost host;

    @BeforeEach
    void host() throws Exception {
        host = new TestHost(tmp, "test:///default", List.of(), "br0");
    }

    @Test
    void badUsageExitsTwo() {
        TestHost.Run r = host.cli("create", "--vlan", "4095");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("VLAN 4095 is outside 1..4094");
        assertThat(host.cli("create").exitCode()).isEqualTo(2);
        assertThat(host.cli("frobnicate").exitCode()).isEqualTo(2);
        assertThat(host.cli("reconcile", "--every", "soon").exitCode()).isEqualTo(2);
        TestHost.Run missing = host.cli("create", "--vlan", "10", "--image", tmp.resolve("nope.qcow2").toString());
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.err().strip()).isEqualTo("headnode: error: image " + tmp.resolve("nope.qcow2") + " does not exist");
        assertThat(host.cli("--help").exitCode()).isZero();
    }

    @Test
    void anUnknownSubcommandIsAUsageErrorEvenWithHelp() {
        TestHost.Run hosts = host.cli("nosuchcommand", "--help");
        assertThat(hosts.exitCode()).as(hosts.toString()).isEqualTo(2);
        assertThat(hosts.err()).contains("headnode: Unmatched argument at index 0: 'nosuchcommand'").contains("Try 'headnode --help'.");
        assertThat(hosts.out()).isEmpty();
        TestHost.Run nosuch = host.cli("nosuch");
        assertThat(nosuch.exitCode()).isEqualTo(2);
        assertThat(nosuch.err()).contains("'nosuch'");
        assertThat(host.cli("--help", "nosuch").exitCode()).isEqualTo(2);
        assertThat(host.cli("show", "extra", "--help").exitCode()).isEqualTo(2);
        assertThat(host.cli("machines", "nosuch", "--help").exitCode()).isEqualTo(2);
        TestHost.Run none = host.cli();
        assertThat(none.exitCode()).isEqualTo(2);

        TestHost.Run help = host.cli("show", "--help");
        assertThat(help.exitCode()).as(help.toString()).isZero();
        assertThat(help.out()).contains("Usage: headnode show").contains("--vlan");
        assertThat(help.err()).isEmpty();
        assertThat(host.cli("machines", "push", "--help").exitCode()).isZero();
        assertThat(host.cli("--help").out()).contains("Usage: headnode");
    }

    @Test
    void aDryRunPrintsTheLinesTheRealRunPrintsAndChangesNothing() throws Exception {
        FakeHypervisor hv = new FakeHypervisor();
        FakeVlanNetwork net = new FakeVlanNetwork();
        TestHost faked = TestHost.withFakes(Files.createDirectories(tmp.resolve("faked")), hv, net);
        Path image = tmp.resolve("base.qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "16M");
        String[] create = {"create", "--vlan", "12", "--image", image.toString()};
        TestHost.Run dry = faked.cli(concat(create, "--dry-run"));
        assertThat(dry.exitCode()).as(dry.toString()).isZero();
        String plan = dry.out().substring(0, dry.out().indexOf("--- domain XML ---\n"));
        assertThat(plan.lines()).contains("vlan 12 (present): would change", "  network: would: create bridge br-vlan12",
                "  network: would: set br-vlan12 up", "  domain: would: define headnode-vlan12", "  autostart: would: autostart headnode-vlan12",
                "  running: would: start headnode-vlan12 (was shutoff)");
        assertThat(dry.out()).contains("<name>headnode-vlan12</name>");
        assertThat(hv.changes).isEmpty();
        assertThat(net.changes).isEmpty();
        assertThat(faked.shareDir(12)).doesNotExist();
        assertThat(faked.overlay(12)).doesNotExist();

        TestHost.Run real = faked.cli(create);
        assertThat(real.exitCode()).as(real.toString()).isZero();
        assertThat(real.out()).isEqualTo(plan.replace(": would: ", ": changed: ").replace("would change", "changed"));
        assertThat(hv.changes).containsExactly("define headnode-vlan12", "autostart headnode-vlan12", "start headnode-vlan12");
        assertThat(faked.cli("reconcile", "--dry-run").out()).isEqualTo("vlan 12 (present): no change\n");
        assertThat(faked.cli("reconcile").out()).isEqualTo("vlan 12 (present): no change\n");

        TestHost.Run dryDelete = faked.cli("delete", "--vlan", "12", "--purge", "--dry-run");
        assertThat(dryDelete.out().lines()).containsExactly("vlan 12 (absent): would change", "  domain: would: stop headnode-vlan12",
                "  domain: would: undefine headnode-vlan12", "  disk: would: remove " + faked.overlay(12), "  network: would: delete br-vlan12",
                "  share: would: purge " + faked.shareDir(12), "  spec: would: forget the spec of VLAN 12");
        assertThat(faked.shareDir(12)).exists();
        TestHost.Run delete = faked.cli("delete", "--vlan", "12", "--purge");
        assertThat(delete.out()).isEqualTo(dryDelete.out().replace(": would: ", ": changed: ").replace("would change", "changed"));
        assertThat(faked.shareDir(12)).doesNotExist();
        assertThat(net.has("br-vlan12")).isFalse();
        assertThat(hv.domainNames()).isEmpty();
    }

    private static String[] concat(String[] a, String... b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void machinesPushValidatesNormalizesAndDoesNotRewriteAnUnchangedFile() throws Exception {
        Path share = host.shareDir(10);
        TestHost.Run noShare = host.cli("machines", "push", "--vlan", "10", write("m.txt", "aa:bb:cc:dd:ee:01 10.0.0.1\n").toString());
        assertThat(noShare.exitCode()).isEqualTo(2);
        assertThat(noShare.err()).contains("run headnode create --vlan 10 first");
        Files.createDirectories(share);

        String input = "# rack 1\r\nAA-BB-CC-DD-EE-01   10.0.0.1\n\naa:bb:cc:dd:ee:02 bmc-2.example.org # ipmi\naa:bb:cc:dd:ee:03 fd00::3\n";
        TestHost.Run ok = host.cli("machines", "push", "--vlan", "10", write("m.txt", input).toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("3 machines, written");
        Path target = share.resolve("machines.txt");
        assertThat(Files.readString(target)).contains("aa:bb:cc:dd:ee:01 10.0.0.1\n").contains("aa:bb:cc:dd:ee:03 fd00::3\n");
        // an old mtime: any rewrite, however quick, would move it
        FileTime old = FileTime.fromMillis(1_000_000_000_000L);
        Files.setLastModifiedTime(target, old);
        long mtime = old.toMillis();
        assertThat(host.cli("machines", "push", "--vlan", "10", write("m2.txt", input).toString()).out()).contains("unchanged");
        assertThat(Files.getLastModifiedTime(target).toMillis()).isEqualTo(mtime);
        TestHost.Run show = host.cli("machines", "show", "--vlan", "10");
        assertThat(show.out().lines()).containsExactly("aa:bb:cc:dd:ee:01 10.0.0.1", "aa:bb:cc:dd:ee:02 bmc-2.example.org", "aa:bb:cc:dd:ee:03 fd00::3");
    }

    @Test
    void machinesPushRejectsBadInputNamingFileLineAndFieldAndKeepsTheLastGoodFile() throws Exception {
        Files.createDirectories(host.shareDir(10));
        host.cli("machines", "push", "--vlan", "10", write("good.txt", "aa:bb:cc:dd:ee:01 10.0.0.1\n").toString());
        String before = Files.readString(host.shareDir(10).resolve("machines.txt"));
        String[][] cases = {
                {"aa:bb:cc:dd:ee:01 10.0.0.1\naa-bb-cc-dd-ee-01 10.0.0.2\n", ":2: mac: aa:bb:cc:dd:ee:01 is already listed on line 1"},
                {"01:00:5e:00:00:01 10.0.0.1\n", ":1: mac: '01:00:5e:00:00:01' is a multicast MAC address"},
                {"aa:bb:cc:dd:ee:zz 10.0.0.1\n", ":1: mac:"},
                {"aa:bb:cc:dd:ee:01 300.1.1.1\n", ":1: bmc-address:"},
                {"aa:bb:cc:dd:ee:01\n", ":1: bmc-address: missing"},
        };
        for (String[] c : cases) {
            Path f = write("bad.txt", c[0]);
            TestHost.Run r = host.cli("machines", "push", "--vlan", "10", f.toString());
            assertThat(r.exitCode()).as(c[0]).isEqualTo(2);
            assertThat(r.err()).as(c[0]).contains(f + c[1]);
        }
        Path junk = tmp.resolve("junk.bin");
        Files.write(junk, new byte[] {(byte) 0xff, 0, 1, 2, '\n'});
        assertThat(host.cli("machines", "push", "--vlan", "10", junk.toString()).err()).contains(junk.toString()).contains("content");
        assertThat(Files.readString(host.shareDir(10).resolve("machines.txt"))).isEqualTo(before);
    }

    @Test
    void installWritesAUniqueRequestTheAgentCanParse() throws Exception {
        Files.createDirectories(host.shareDir(10));
        host.cli("machines", "push", "--vlan", "10", write("m.txt", "aa:bb:cc:dd:ee:01 10.0.0.1\naa:bb:cc:dd:ee:02 10.0.0.2\n").toString());
        assertThat(host.cli("install", "--vlan", "10", "AA-BB-CC-DD-EE-02").exitCode()).isZero();
        assertThat(host.cli("install", "--vlan", "10", "--all").exitCode()).isZero();
        TestHost.Run unknown = host.cli("install", "--vlan", "10", "aa:bb:cc:dd:ee:09");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).contains("MAC aa:bb:cc:dd:ee:09 is not in");
        assertThat(host.cli("install", "--vlan", "10").exitCode()).isEqualTo(2);
        TestHost.Run timeoutAlone = host.cli("install", "--vlan", "10", "--all", "--timeout", "5m");
        assertThat(timeoutAlone.exitCode()).isEqualTo(2);
        assertThat(timeoutAlone.err()).contains("--timeout needs --wait");
        List<Path> files;
        try (Stream<Path> s = Files.list(host.shareDir(10).resolve(InstallRequest.DIRECTORY))) {
            files = s.sorted().toList();
        }
        assertThat(files).hasSize(2).allSatisfy(f -> assertThat(f.toString()).endsWith(InstallRequest.SUFFIX));
        List<InstallRequest> requests = files.stream().map(f -> {
            try {
                String name = f.getFileName().toString();
                return InstallRequest.parse(name, name.substring(0, name.length() - InstallRequest.SUFFIX.length()), Files.readAllBytes(f));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }).toList();
        assertThat(requests).anySatisfy(r -> assertThat(r.all()).isTrue());
        assertThat(requests).anySatisfy(r -> assertThat(r.macs()).extracting(Object::toString).containsExactly("aa:bb:cc:dd:ee:02"));
        assertThat(requests.get(0).id()).isNotEqualTo(requests.get(1).id());
    }

    @Test
    void installWaitWithNoAgentGivesUpAtItsTimeoutAndExitsOne() throws Exception {
        Files.createDirectories(host.shareDir(10));
        host.cli("machines", "push", "--vlan", "10", write("m.txt", "aa:bb:cc:dd:ee:01 10.0.0.1\n").toString());
        TestHost.Run r = host.cli("install", "--vlan", "10", "--all", "--wait", "--timeout", "1s");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(1);
        assertThat(r.out()).contains("waiting up to 1s for 1 node(s)").contains("waiting for the agent's status\n")
                .contains("  aa:bb:cc:dd:ee:01  not listed by the agent\n").endsWith("timed out after 1s\n").doesNotContain("\r");
    }

    @Test
    void showOfAnUndeclaredVlanFailsWithOneLine() {
        TestHost.Run r = host.cli("show", "--vlan", "12");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("headnode: error: no head node is declared for VLAN 12");
    }

    @Test
    void aBadConfigFileIsOneLineNamingFileAndLine() throws Exception {
        Path conf = write("o.conf", "state-dir = /tmp/x\nbogus = 1\n");
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        int code = Main.run(new HeadnodeCommand(), Main.SUBCOMMANDS, new java.io.PrintWriter(out, true), new java.io.PrintWriter(err, true),
                "--config", conf.toString(), "list");
        assertThat(code).isEqualTo(1);
        assertThat(err.toString().strip()).startsWith("headnode: error: " + conf + ":2: bogus: unknown key");
    }

    @Test
    void credentialsPushWritesASecretFileOnlyQemuCanReadAndShowRedactsSecrets() throws Exception {
        Files.createDirectories(host.shareDir(10));
        String input = "aa:bb:cc:dd:ee:01 driver=ipmi user=admin secret=hunter2\n* driver=amt user=admin secret=s3cret\n";
        TestHost.Run ok = host.cli("credentials", "push", "--vlan", "10", write("c.conf", input).toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        Path target = host.shareDir(10).resolve("credentials.conf");
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
        assertThat(Files.getOwner(target).getName()).isEqualTo("libvirt-qemu");
        assertThat(Files.readString(target)).contains("hunter2");
        assertThat(host.cli("credentials", "push", "--vlan", "10", write("c2.conf", input).toString()).out()).contains("unchanged");
        TestHost.Run show = host.cli("credentials", "show", "--vlan", "10");
        assertThat(show.out()).contains("aa:bb:cc:dd:ee:01").doesNotContain("hunter2").doesNotContain("s3cret");

        // the host checks the form; each driver's options are checked in the guest against the options the driver declares
        TestHost.Run bad = host.cli("credentials", "push", "--vlan", "10", write("bad.conf", "aa:bb:cc:dd:ee:01 driver=ipmi secret\n").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("bad.conf:1: secret: expected name=value").doesNotContain("hunter2");
        assertThat(Files.readString(target)).contains("hunter2");
    }

    @Test
    void sshKeysPushValidatesWithLineNumbersWritesAtomicallyAndShowPrintsFingerprints() throws Exception {
        Path share = Files.createDirectories(host.shareDir(10));
        String ed = io.headnode.orchestrator.TestSshKeys.pub("ed25519");
        String ec = io.headnode.orchestrator.TestSshKeys.pub("ecdsa");
        TestHost.Run ok = host.cli("ssh-keys", "push", "--vlan", "10", write("keys", "# admins\n" + ed + "\nno-pty " + ec + "\n").toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.out()).contains("authorized_keys: 2 keys, written");
        Path target = share.resolve("authorized_keys");
        assertThat(Files.readString(target)).contains(ed + "\n").contains("no-pty " + ec + "\n");
        assertThat(host.cli("ssh-keys", "push", "--vlan", "10", write("keys2", ed + "\nno-pty " + ec + "\n").toString()).out()).contains("unchanged");
        TestHost.Run show = host.cli("ssh-keys", "show", "--vlan", "10");
        assertThat(show.out()).contains("# SHA256:nn39BVXv0FZW+DjfcRnVgYkmyN46QJkuzVMUuhK8+rE\n" + ed + "\n");
        String before = Files.readString(target);
        TestHost.Run bad = host.cli("ssh-keys", "push", "--vlan", "10",
                write("bad", ed + "\n" + io.headnode.orchestrator.TestSshKeys.pub("dsa") + "\n").toString());
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains(tmp.resolve("bad") + ":2: type: key type 'ssh-dss' is not supported");
        TestHost.Run command = host.cli("ssh-keys", "push", "--vlan", "10", write("cmd", "command=\"/bin/sh\" " + ed + "\n").toString());
        assertThat(command.err()).contains(":1: options: 'command=...' is not allowed");
        assertThat(Files.readString(target)).isEqualTo(before);
    }

    @Test
    void sshWithoutAnAgentStatusFailsWithOneLine() {
        TestHost.Run r = host.cli("ssh", "--vlan", "10", "--status-timeout", "1s", "--", "hostname");
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("no status from the agent of VLAN 10 within 1 s").contains("is the head node running?");
    }

    @Test
    void configPushChecksTheVlanAndNamesBadFields() throws Exception {
        Files.createDirectories(host.shareDir(10));
        TestHost.Run ok = host.cli("config", "push", "--vlan", "10",
                write("h.conf", "vlan = 10\nprivate-address = 192.168.10.1/24\npower-driver = ipmi\n").toString());
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(host.cli("config", "show", "--vlan", "10").out()).contains("private-address = 192.168.10.1/24").contains("power-driver = ipmi");
        TestHost.Run other = host.cli("config", "push", "--vlan", "10", write("o.conf", "vlan = 11\n").toString());
        assertThat(other.exitCode()).isEqualTo(2);
        assertThat(other.err()).contains("o.conf: vlan: is 11, but this is the share of VLAN 10");
        TestHost.Run bad = host.cli("config", "push", "--vlan", "10", write("b.conf", "vlan = 10\ninstall-attempts = many\n").toString());
        assertThat(bad.err()).contains("b.conf:2: install-attempts:");
        assertThat(host.cli("config", "show", "--vlan", "10").out()).contains("power-driver = ipmi");
    }

    private Path write(String name, String content) throws Exception {
        Path f = tmp.resolve(name);
        Files.write(f, content.getBytes(StandardCharsets.UTF_8));
        return f;
    }
}
