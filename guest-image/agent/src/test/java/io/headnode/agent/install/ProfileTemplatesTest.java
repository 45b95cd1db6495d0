package io.headnode.agent.install;

import static io.headnode.agent.install.InstallFixtures.A;
import static org.assertj.core.api.Assertions.assertThat;

import io.headnode.agent.render.Templates;
import io.headnode.agent.tftp.PxeConfigs;
import io.headnode.common.exec.CommandResult;
import io.headnode.testing.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shipped installer profiles for today's distributions (debian12 preseed, ubuntu2404 autoinstall, el9
 * kickstart): each renders its pxelinux, GRUB and answer file with the callback, and each answer file passes a real
 * parser where Debian has one: the preseed through {@code debconf-set-selections --checkonly}; the autoinstall through
 * YAML and a JSON schema of the keys it uses (python3-yaml, python3-jsonschema). Debian packages no kickstart parser
 * (pykickstart): the kickstart is checked against RHEL 9's command list here.
 */
class ProfileTemplatesTest {
    static final Instant T = Instant.parse("2026-12-02T00:00:00Z");
    static final String TOKEN = "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-abcde";
    static final NodeInstall NODE = new NodeInstall(A.value(), InstallState.REQUESTED, "r7", TOKEN, T, T, 0, true, "");
    static final String CALLBACK = "http://10.0.5.1:80/boot-default/01-52-54-00-00-00-0a";

    @TempDir
    Path tmp;

    static InstallTemplates templates() {
        return new InstallTemplates(new Templates(null), 80);
    }

    static InstallSite site(String profile) {
        return new InstallSite(PxeSyncTest.snapshotWithProfileUnchecked(profile), Map.of(A, "10.0.5.2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"debian12", "ubuntu2404", "el9"})
    void everyProfileRendersItsThreeFilesWithTheCallback(String profile) {
        InstallSite site = site(profile);
        String pxe = templates().pxeConfig(site, NODE);
        String grub = templates().grubConfig(site, NODE);
        String answer = templates().kickstart(site, NODE, "10.0.5.2");
        assertThat(templates().hasGrubConfig(site)).isTrue();
        for (String f : List.of(pxe, grub)) {
            assertThat(f).startsWith(PxeConfigs.MARKER + " 52:54:00:00:00:0a request r7\n").contains(profile + "/vmlinuz", profile + "/initrd.img")
                    .contains("http://10.0.5.1:80/ks/01-52-54-00-00-00-0a").doesNotContain("##", "#set", "${", "$!");
        }
        assertThat(pxe).contains("kernel " + profile + "/vmlinuz\n", "ipappend 2");
        assertThat(grub).contains("linux (http,10.0.5.1)/" + profile + "/vmlinuz ").doesNotContain("tftp");
        assertThat(answer).contains("token=" + TOKEN, CALLBACK, "52:54:00:00:00:0a", "node-52-54-00-00-00-0a").doesNotContain("##", "#set", "${");
    }

    @Test
    void thePreseedPassesDebconfSetSelectionsCheckonly() throws Exception {
        String preseed = templates().kickstart(site("debian12"), NODE, "10.0.5.2");
        assertThat(preseed).contains("d-i mirror/http/hostname string 10.0.5.1:80\n", "d-i mirror/http/directory string /debian12/debian\n",
                "d-i preseed/late_command string in-target curl -fsS --retry 5 --retry-delay 3 -X POST --data 'token=" + TOKEN + "' '" + CALLBACK + "'\n");
        Path f = tmp.resolve("preseed.cfg");
        Files.writeString(f, preseed);
        CommandResult ok = Command.run(Duration.ofSeconds(30), List.of("debconf-set-selections", "--checkonly", f.toString()));
        assertThat(ok.exitCode()).as(ok.stdout() + ok.stderr()).isZero();
        assertThat(ok.stderr()).isEmpty();
        // the check is real: a line without a type is refused
        Files.writeString(f, preseed + "d-i broken/line\n");
        CommandResult bad = Command.run(Duration.ofSeconds(30), List.of("debconf-set-selections", "--checkonly", f.toString()));
        assertThat(bad.exitCode() != 0 || !bad.stderr().isEmpty()).as(bad.stdout() + bad.stderr()).isTrue();
    }

    /** The keys of Subiquity's autoinstall schema (canonical/subiquity autoinstall-schema.json) this profile uses, with their types. */
    static final String AUTOINSTALL_SCHEMA = """
            {"type": "object", "required": ["autoinstall"], "properties": {"autoinstall": {
              "type": "object", "required": ["version"], "additionalProperties": false,
              "properties": {
                "version": {"type": "integer", "minimum": 1, "maximum": 1},
                "locale": {"type": "string"},
                "keyboard": {"type": "object", "required": ["layout"], "additionalProperties": false,
                             "properties": {"layout": {"type": "string"}, "variant": {"type": "string"}}},
                "identity": {"type": "object", "required": ["username", "hostname", "password"], "additionalProperties": false,
                             "properties": {"realname": {"type": "string"}, "username": {"type": "string"},
                                            "hostname": {"type": "string"}, "password": {"type": "string"}}},
                "ssh": {"type": "object", "additionalProperties": false,
                        "properties": {"install-server": {"type": "boolean"}, "authorized-keys": {"type": "array", "items": {"type": "string"}},
                                       "allow-pw": {"type": "boolean"}}},
                "storage": {"type": "object"},
                "packages": {"type": "array", "items": {"type": "string"}},
                "late-commands": {"type": "array", "items": {"type": ["string", "array"], "items": {"type": "string"}}},
                "shutdown": {"type": "string", "enum": ["reboot", "poweroff"]}}}}}
            """;

    static final String CHECK = """
            import json, sys, yaml, jsonschema
            text = open(sys.argv[1]).read()
            assert text.startswith("#cloud-config\\n"), "user-data must start with #cloud-config"
            doc = yaml.safe_load(text)
            jsonschema.validate(doc, json.load(open(sys.argv[2])))
            print("valid", sorted(doc["autoinstall"]))
            """;

    CommandResult checkAutoinstall(String userData) throws Exception {
        Path f = tmp.resolve("user-data");
        Path schema = tmp.resolve("schema.json");
        Path check = tmp.resolve("check.py");
        Files.writeString(f, userData);
        Files.writeString(schema, AUTOINSTALL_SCHEMA);
        Files.writeString(check, CHECK);
        return Command.run(Duration.ofSeconds(30), List.of("/usr/bin/python3", check.toString(), f.toString(), schema.toString()));
    }

    @Test
    void theAutoinstallIsCloudConfigYamlThatPassesTheSchema() throws Exception {
        String userData = templates().kickstart(site("ubuntu2404"), NODE, "10.0.5.2");
        CommandResult r = checkAutoinstall(userData);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).contains("valid ['identity', 'keyboard', 'late-commands', 'locale', 'packages', 'shutdown', 'ssh', 'storage', 'version']");
        assertThat(checkAutoinstall(userData.replace("    username: admin\n", "")).exitCode()).as("identity without username").isNotZero();
        assertThat(checkAutoinstall(userData.replace("  version: 1", "  version: 2")).exitCode()).isNotZero();
        String pxe = templates().pxeConfig(site("ubuntu2404"), NODE);
        assertThat(pxe).contains(" autoinstall ds=nocloud;s=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a/ ");
        assertThat(templates().grubConfig(site("ubuntu2404"), NODE)).contains(" autoinstall 'ds=nocloud;s=http://10.0.5.1:80/ks/01-52-54-00-00-00-0a/' ");
    }

    /** Kickstart commands RHEL 9 (pykickstart's RHEL9 handler) knows; those removed since CentOS 7 are refused. */
    static final Set<String> RHEL9_COMMANDS = Set.of("authselect", "autopart", "bootloader", "clearpart", "cmdline", "firewall", "firstboot",
            "graphical", "ignoredisk", "keyboard", "lang", "logvol", "network", "part", "poweroff", "reboot", "repo", "rootpw", "selinux",
            "services", "shutdown", "skipx", "sshkey", "text", "timezone", "url", "user", "volgroup", "zerombr", "timesource");
    static final Set<String> REMOVED = Set.of("install", "upgrade", "auth", "authconfig", "device", "deviceprobe", "method", "autostep");

    @Test
    void theKickstartUsesOnlyRhel9Commands() {
        String ks = templates().kickstart(site("el9"), NODE, "10.0.5.2");
        boolean inSection = false;
        for (String line : ks.split("\n")) {
            String l = line.strip();
            if (l.startsWith("%end")) {
                inSection = false;
                continue;
            }
            if (l.startsWith("%")) {
                assertThat(l).matches("%(packages|post --log=/root/headnode-post.log)");
                inSection = true;
                continue;
            }
            if (inSection || l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String command = l.split("\\s+")[0];
            assertThat(REMOVED).as(l).doesNotContain(command);
            assertThat(RHEL9_COMMANDS).as(l).contains(command);
        }
        assertThat(ks).contains("url --url=http://10.0.5.1:80/el9/os\n", "network --bootproto=dhcp --device=link --activate --hostname=node-52-54-00-00-00-0a\n",
                "curl -fsS --retry 5 --retry-delay 3 -X POST --data 'token=" + TOKEN + "' '" + CALLBACK + "'\n%end\n");
    }
}
