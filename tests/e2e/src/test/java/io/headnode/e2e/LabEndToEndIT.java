package io.headnode.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.common.exec.CommandResult;
import io.headnode.contract.ImageCatalog;
import io.headnode.contract.ImageName;
import io.headnode.contract.Vlan;
import io.headnode.lab.HeadnodeCli;
import io.headnode.lab.Lab;
import io.headnode.lab.LabFirmware;
import io.headnode.lab.LabSettings;
import io.headnode.lab.NodeProgress;
import io.headnode.orchestrator.config.HostConfigFile;
import io.headnode.common.libvirt.RunState;
import io.headnode.testing.Command;
import io.headnode.testing.NetworkNamespace;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The seed's whole flow, exactly as {@code headnode lab up} runs it, asserted step by step from outside the guests
 * (serial consoles, the agent's status channel, TFTP/HTTP from the lab namespace, libvirt, the host's files), under
 * TCG: image build (cached by input hash; cold with {@code -Dheadnode.imageCache=<empty dir>}), head node boot,
 * a node's PXE install through the head node (powered through its BMC), its reboot from disk, then
 * {@code headnode delete} and {@code lab down}.
 * Timings go to stdout and target/e2e-timings.txt.
 */
class LabEndToEndIT {
    private static final Path HOME = Path.of(System.getProperty("user.dir")).resolve("../..").normalize();
    private static final Vlan VLAN = new Vlan(100);
    private static final String HEAD = "10.0.100.1";
    /** The test's own address on the VLAN bridge, inside the lab namespace: a stranger on the VLAN. */
    private static final String PROBE = "10.0.100.250";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE_IMAGE_CACHE = Path.of(System.getProperty("headnode.nodeImageCache", "/var/cache/headnode/node-image"));
    /** Where the corrupted-image case flips a byte of the catalog's raw file: 64 MiB in, inside the root filesystem. */
    private static final long CORRUPT_AT = 64L << 20;
    private static final Pattern DEPLOY_PHASE = Pattern.compile("headnode-deploy: (written|sha256 verified|partition \\d+ grown)[^\\n]* in (\\d+) s");

    @Test
    void headNodeBootsAndInstallsANodeThatThenBootsItsDisk() throws Exception {
        long t0 = System.nanoTime();
        NetworkNamespace.sweepLeftovers();
        long pid = ProcessHandle.current().pid();
        // hnt<pid>x...: if this JVM dies, NetworkNamespace.sweepLeftovers() of a later run removes the namespace
        String ns = "hnt" + pid + "x" + "l";
        Path dir = Path.of("/var/tmp/hne2e-" + pid);
        Path cache = Path.of(System.getProperty("headnode.imageCache", "/var/cache/headnode/image"));
        StringWriter transcript = new StringWriter();
        PrintWriter out = new PrintWriter(new Tee(transcript), true);
        // one BIOS, one UEFI, one Secure Boot and one UEFI HTTP boot node through one head node (issue 9)
        LabSettings settings = new LabSettings(dir, ns, VLAN, 4, cache, LabFirmware.MIXED);
        FirmwareNodes uefi = new FirmwareNodes(settings, ns, HEAD);
        Lab lab = new Lab(settings, out);
        HeadnodeCli headnode = new HeadnodeCli(settings.orchestratorConfig());
        List<String> timings = new ArrayList<>();
        try {
            // 0. The image: one command, cached by the hash of its inputs.
            long tb = System.nanoTime();
            CommandResult build = Command.run(Duration.ofMinutes(20), List.of(HOME.resolve("guest-image/image/build-image.sh").toString(),
                    "--cache", cache.toString())).orThrow();
            Path image = Path.of(build.stdout().strip().lines().reduce((a, b) -> b).orElseThrow());
            double buildSeconds = seconds(tb);
            timings.add(String.format("image build (%s): %.1f s", build.stderr().contains("cached:") ? "cached" : "cold", buildSeconds));
            assertThat(image.resolve("headnode.qcow2")).isRegularFile();
            assertThat(image.resolve("vmlinuz")).isRegularFile();
            assertThat(image.resolve("initrd.img")).isRegularFile();
            assertThat(image.resolve("lab-installer.img")).isRegularFile();
            assertThat(Files.readString(image.resolve("manifest"))).contains("agent-jar=").doesNotContain("agent-jar=absent");

            // lab up, in the background, while this thread watches from outside
            ExecutorService bg = Executors.newSingleThreadExecutor();
            Future<Lab.UpResult> up = bg.submit(() -> lab.up(new Lab.UpOptions(Optional.empty(), Optional.of(image), Optional.empty(), true,
                    Duration.ofMinutes(16))));
            String bridge = "br-vlan" + VLAN.id();
            String mac = settings.nodeMac(1);
            String perMacName = "pxelinux.cfg/01-" + mac.replace(':', '-');
            // while lab up runs: a stranger's address on the VLAN bridge once it exists, then the per-MAC config over
            // TFTP once the install was requested (it is gone after the callback)
            AtomicBoolean probeAddress = new AtomicBoolean();
            AtomicReference<String> perMacConfig = new AtomicReference<>();
            // four TCG guests and the head node share 2 cores: 16 min for lab up (five to six on a quiet machine)
            await().atMost(Duration.ofMinutes(19)).pollInterval(Duration.ofMillis(300)).until(() -> {
                if (!probeAddress.get() && NetworkNamespace.existing(ns).map(NetworkNamespace::links).orElse(List.of()).contains(bridge)) {
                    Command.check("ip", "-n", ns, "addr", "add", PROBE + "/24", "dev", bridge);
                    probeAddress.set(true);
                    Files.createDirectories(Path.of("target"));
                    uefi.startCapture(bridge, Path.of("target/e2e-vlan100.pcap").toAbsolutePath());
                }
                if (probeAddress.get() && perMacConfig.get() == null && transcript.toString().contains("headnode install")) {
                    CommandResult r = inNs(ns, "curl", "-sS", "--max-time", "3", "tftp://" + HEAD + "/" + perMacName);
                    if (r.exitCode() == 0 && !r.stdout().isBlank()) {
                        perMacConfig.set(r.stdout());
                    }
                }
                if (probeAddress.get() && transcript.toString().contains("headnode install")) {
                    uefi.poll();
                }
                return up.isDone();
            });
            Lab.UpResult result = up.get();
            bg.shutdown();
            uefi.stopCapture();
            String text = transcript.toString();
            String headConsole = console(dir.resolve("state/console/headnode-vlan100.log"));
            String nodeConsole = console(settings.nodeConsole(1));
            timings.add(String.format("lab up: head node defined and started at %.1f s, agent ready at %.1f s (%.1f s after start), node done at %.1f s",
                    result.headnodeStartedAt(), result.agentReadyAt(), result.agentReadyAt() - result.headnodeStartedAt(), result.nodesDoneAt().get(0)));

            // 1. The head node boots; the agent reports ready with the share mounted read-only; a guest write is refused.
            JsonNode status = agentStatus(headnode);
            assertThat(status.path("ready").asBoolean()).as("agent status %s", status).isTrue();
            assertThat(status.path("share").asText()).isEqualTo("mounted-ro");
            assertThat(status.path("services").path("dhcpd").path("detail").asText()).isEqualTo("running");
            assertThat(status.path("services").path("tftpd").path("detail").asText()).isEqualTo("running");
            assertThat(headConsole).contains("headnode-share-check: share mounted (ro")
                    .contains("a write from the guest is refused");
            assertThat(settings.shareRoot().resolve("100/.guest-write-probe")).doesNotExist();
            String domXml = Command.check("virsh", "-c", settings.localUri(), "dumpxml", "headnode-vlan100").stdout();
            assertThat(domXml).contains("<readonly/>").contains("accessmode='mapped'");

            // 2. The node is powered on by the agent's IPMI driver through the node's BMC (the lab only defined it),
            //    gets its fixed address from the head node's dhcpd, fetches pxelinux.0 and its per-MAC config over
            //    TFTP, the installer over HTTP.
            assertThat(result.nodeStatesBeforeInstall()).as("the lab defines nodes but never starts them").containsOnly(RunState.SHUTOFF).hasSize(4);
            assertThat(Files.readString(settings.bmcDir().resolve("node1.log"))).as("the node's BMC log")
                    .contains("lab-bmc: " + settings.nodeName(1) + ": boot device network requested")
                    .contains("lab-bmc: " + settings.nodeName(1) + ": power on");
            assertThat(text).contains("node " + settings.nodeName(1) + ": firmware running");
            String fixed = status.path("machines").get(0).path("address").asText();
            assertThat(fixed).isEqualTo("10.0.100.2");
            assertThat(nodeConsole).contains("net0: " + fixed + "/255.255.255.0").contains("Next server: " + HEAD)
                    .containsPattern("tftp://" + Pattern.quote(HEAD) + "/pxelinux\\.0\\.+ ok")   // iPXE prints a dot per interval: more under load
                    .contains("PXELINUX 6.04");
            assertThat(perMacConfig.get()).as("per-MAC config fetched over TFTP during the install").isNotNull()
                    .contains("# headnode-agent install config for").contains("kernel http://" + HEAD + ":80/lab/vmlinuz");
            assertThat(nodeConsole).contains("headnode-installer: start")
                    .contains("headnode-installer: lease " + fixed + "/24")
                    .contains("parameters from http://" + HEAD + ":80/ks/01-" + mac.replace(':', '-'));
            CommandResult kernelRange = inNs(ns, "curl", "-sS", "--max-time", "5", "-r", "0-511", "-o", "/dev/null", "-w", "%{http_code} %{size_download}",
                    "http://" + HEAD + "/lab/vmlinuz");
            assertThat(kernelRange.stdout().strip()).isEqualTo("206 512");

            // 3. The installer called back; the callback was accepted once; the per-MAC config is gone.
            assertThat(count(nodeConsole, NodeProgress.CALLBACK_ACCEPTED)).isEqualTo(1);
            assertThat(count(nodeConsole, NodeProgress.INSTALLER_START)).as("installed exactly once").isEqualTo(1);
            JsonNode machine = agentStatus(headnode).path("machines").get(0);
            assertThat(machine.path("state").asText()).isEqualTo("installed");
            CommandResult gone = inNs(ns, "curl", "-sS", "--max-time", "3", "tftp://" + HEAD + "/" + perMacName);
            assertThat(gone.exitCode()).as("per-MAC config must be gone: %s", gone.stdout()).isNotZero();
            assertThat(inNs(ns, "curl", "-sS", "--max-time", "3", "tftp://" + HEAD + "/pxelinux.cfg/default").stdout()).contains("localboot");
            CommandResult forged = inNs(ns, "curl", "-sS", "--max-time", "5", "-o", "/dev/null", "-w", "%{http_code}",
                    "--data", "token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "http://" + HEAD + "/boot-default/01-" + mac.replace(':', '-'));
            assertThat(forged.stdout().strip()).as("a callback from another address, with a forged token").startsWith("4");

            // 4. The node rebooted; pxelinux booted the local disk, whose stub printed the marker.
            assertThat(result.nodes().get(0)).isEqualTo(NodeProgress.BOOTED_FROM_DISK);
            String afterCallback = nodeConsole.substring(nodeConsole.indexOf(NodeProgress.CALLBACK_ACCEPTED));
            assertThat(afterCallback).contains("PXELINUX 6.04").contains("Booting from local disk");
            Matcher marker = Pattern.compile("(?m)^(HEADNODE-DISK-MARKER mac=" + Pattern.quote(mac) + " vlan100)$").matcher(afterCallback);
            assertThat(marker.find()).as("disk marker line after the reboot in %s", afterCallback).isTrue();
            timings.add(String.format("node: power-on to PXELINUX banner %s; install cycle (install request to disk marker) %.1f s",
                    pxeBannerSeconds(text, settings.nodeName(1)), result.nodesDoneAt().get(0) - result.agentReadyAt()));

            // 4b. The UEFI, the Secure Boot and the UEFI HTTP boot node (shim + GRUB from the same head node, kernel and
            //     initrd over HTTP), and GRUB's default config.
            assertThat(uefi.defaultGrubConfig()).contains("configfile \"$prefix/grub.cfg-01-", "chainloader /EFI/BOOT/BOOTX64.EFI");
            java.util.Map<String, String> addresses = new java.util.HashMap<>();
            for (JsonNode m : status.path("machines")) {
                addresses.put(m.path("mac").asText().toLowerCase(java.util.Locale.ROOT), m.path("address").asText());
            }
            for (int i : uefi.uefiNodes()) {
                String address = addresses.get(settings.nodeMac(i));
                assertThat(address).as("node %d's address in the agent's status %s", i, addresses).isNotBlank();
                uefi.assertInstalled(i, console(settings.nodeConsole(i)), result.nodes().get(i - 1), headConsole, address);
                timings.add(String.format("node %d (%s): power-on to GRUB's install config %s; install cycle %.1f s", i,
                        settings.nodeFirmware(i).word(), stageSeconds(text, settings.nodeName(i), NodeProgress.GRUB),
                        result.nodesDoneAt().get(i - 1) - result.agentReadyAt()));
            }
            assertThat(machinesInstalled(headnode)).as("the agent says every node is installed").isEqualTo(4);
            // 4c. ssh: an admin's key pushed through the share, login with the reported host keys, no passwords, only tcp/22
            timings.add(sshIntoTheHeadNode(headnode, settings, ns));
            // 4d. Faults on the running head node (issue 13): the 9p share unmounted under the agent, then the head
            //     node reset in the middle of node 1's second install
            timings.add(shareUnmountedUnderTheAgent(headnode, settings));
            timings.add(headNodeResetInTheMiddleOfAnInstall(headnode, settings, ns));
            // 4e. The `image` profile through the head node (issue 10): node 1 gets the Debian node image from the
            //     catalog; first a corrupted copy (failed, checksum), then the good one (active, login, ssh); the Secure
            //     Boot node gets the good one at the same time (active with Secure Boot on, login, ssh)
            timings.add(imageDeployThroughTheHeadNode(headnode, settings, ns));

            // 5. headnode delete leaves no domain, overlay or bridge (once the lab's nodes are gone: a bridge
            //    still used by another domain stays, by design); lab down leaves no namespace and no process.
            for (int i = 1; i <= settings.nodes(); i++) {
                Command.run("virsh", "-c", settings.localUri(), "destroy", settings.nodeName(i));
                Command.check("virsh", "-c", settings.localUri(), "undefine", "--nvram", settings.nodeName(i));
            }
            HeadnodeCli.Result del = headnode.run("delete", "--vlan", "100");
            assertThat(del.exitCode()).as(del.out() + del.err()).isZero();
            String domains = Command.check("virsh", "-c", settings.localUri(), "list", "--all", "--name").stdout();
            assertThat(domains.strip()).isEmpty();
            assertThat(dir.resolve("state/disks/headnode-vlan100.qcow2")).doesNotExist();
            NetworkNamespace labNs = NetworkNamespace.existing(ns).orElseThrow();
            assertThat(labNs.links()).doesNotContain(bridge);
            // virtlogd, libvirtd, udhcpd, the node's BMC: everything the lab runs lives in its namespace
            List<Long> pids = labNs.pids();
            assertThat(pids).hasSizeGreaterThanOrEqualTo(4);
            // lab down from a new process, as an admin runs it: it finds everything by the PIDs in the lab's state
            CommandResult down = Command.run(Duration.ofMinutes(2), List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), "io.headnode.lab.LabCommand", "--dir", dir.toString(), "--namespace", ns, "down"));
            assertThat(down.exitCode()).as(down.stdout() + down.stderr()).isZero();
            assertThat(down.stdout()).contains("namespace " + ns + " deleted");
            assertThat(Command.run("ip", "netns", "list").stdout()).doesNotContain(ns);
            for (long p : pids) {
                assertThat(ProcessHandle.of(p).map(ProcessHandle::isAlive).orElse(false)).as("process %d still alive", p).isFalse();
            }
            assertThat(dir).doesNotExist();
            timings.add(String.format("whole test: %.1f s", seconds(t0)));
        } finally {
            Files.createDirectories(Path.of("target"));
            uefi.stopCapture();
            for (Path log : List.of(settings.nodeConsole(1), settings.nodeConsole(2), settings.nodeConsole(3), settings.nodeConsole(4),
                    dir.resolve("state/console/headnode-vlan100.log"))) {
                if (Files.exists(log)) {
                    Files.copy(log, Path.of("target/e2e-" + log.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
            try {
                lab.down();
            } catch (RuntimeException | Error e) {
                System.out.println("lab down after the test failed: " + e);
            }
            String report = String.join("\n", timings) + "\n";
            System.out.print(report);
            Files.createDirectories(Path.of("target"));
            Files.writeString(Path.of("target/e2e-timings.txt"), report + "\n--- lab transcript ---\n" + transcript);
        }
    }

    /**
     * ssh into the head node, as an admin does it: pushes a fresh key with {@code headnode ssh-keys push}, waits until
     * the agent applied it, runs {@code headnode ssh --vlan 100 -- hostname} in a process of its own (ssh needs the
     * terminal's standard streams), checks that sshd refuses passwords, that the host keys sshd serves (ssh-keyscan
     * from the lab namespace) are the ones {@code headnode show} prints, and scans the public side: only tcp/22 answers,
     * over IPv4 (every TCP port, the common UDP ones) and IPv6 link-local (the 1,000 most used TCP ports).
     * Self-contained: returns its timing line.
     */
    private static String sshIntoTheHeadNode(HeadnodeCli headnode, LabSettings settings, String ns) throws Exception {
        long t0 = System.nanoTime();
        Path keys = Files.createTempDirectory("hne2e-ssh");
        try {
            Path key = keys.resolve("id_admin");
            Command.check("ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-C", "e2e-admin", "-f", key.toString());
            HeadnodeCli.Result push = headnode.run("ssh-keys", "push", "--vlan", "100", key + ".pub");
            assertThat(push.exitCode()).as(push.out() + push.err()).isZero();
            assertThat(push.out()).contains("1 keys, written");
            // the agent writes root's authorized_keys on its next poll; its status says so, with the host keys and eth1's address
            AtomicReference<JsonNode> ready = new AtomicReference<>();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                JsonNode s = agentStatus(headnode);
                ready.set(s);
                return s.path("services").path("ssh-keys").path("detail").asText().equals("1 keys") && s.path("ssh").path("hostKeys").size() > 0
                        && !s.path("ssh").path("addresses").isEmpty();
            });
            double applied = seconds(t0);
            JsonNode ssh = ready.get().path("ssh");
            String address = ssh.path("addresses").get(0).asText();
            assertThat(address).startsWith("192.0.2.");

            // headnode ssh, in a process of its own as an admin runs it; no prompt (BatchMode would turn one into a failure)
            // (bin/headnode runs the orchestrator's own jar; the test's class path holds two logback.xml files, and
            // logback then prints its status on standard output)
            Path launcher = HOME.resolve("bin/headnode");
            CommandResult login = Command.run(Duration.ofMinutes(2), List.of(launcher.toString(), "--config", settings.orchestratorConfig().toString(),
                    "ssh", "--vlan", "100", "-i", key.toString(), "-o", "BatchMode=yes", "--", "hostname"));
            assertThat(login.exitCode()).as(login.stdout() + login.stderr()).isZero();
            assertThat(login.stdout().strip()).isEqualTo("headnode");

            // sshd itself refuses passwords: with password the only method ssh may try, the server offers only publickey
            Path knownHosts = keys.resolve("known_hosts");
            StringBuilder kh = new StringBuilder();
            ssh.path("hostKeys").forEach(k -> kh.append(address).append(' ').append(k.path("type").asText()).append(' ').append(k.path("key").asText()).append('\n'));
            Files.writeString(knownHosts, kh.toString());
            CommandResult password = inNs(ns, "ssh", "-o", "BatchMode=yes", "-o", "PreferredAuthentications=password,keyboard-interactive",
                    "-o", "PubkeyAuthentication=no", "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                    "-o", "ConnectTimeout=15", "root@" + address, "true");
            assertThat(password.exitCode()).as(password.stdout() + password.stderr()).isEqualTo(255);
            assertThat(password.stderr()).contains("Permission denied (publickey)");

            // the host keys sshd serves are exactly the ones the agent reported and headnode show prints
            CommandResult scanned = inNs(ns, "ssh-keyscan", "-T", "15", address);
            assertThat(scanned.exitCode()).as(scanned.stderr()).isZero();
            Path served = keys.resolve("served");
            Files.writeString(served, scanned.stdout());
            List<String> servedPrints = Command.check("ssh-keygen", "-l", "-f", served.toString()).stdout().lines()
                    .map(l -> l.split(" ")[1]).sorted().toList();
            List<String> reported = new ArrayList<>();
            ssh.path("hostKeys").forEach(k -> reported.add(k.path("fingerprint").asText()));
            assertThat(reported).as("reported host keys").hasSizeGreaterThanOrEqualTo(2);
            assertThat(servedPrints).containsExactlyElementsOf(reported.stream().sorted().toList());
            String shown = "";
            for (int attempt = 0; attempt < 3 && !shown.contains("ssh: "); attempt++) {   // a line can be held back while no host listens
                shown = headnode.check("show", "--vlan", "100", "--status-timeout", "12s");
            }
            assertThat(shown).contains("ssh: " + address).contains(reported);

            // from the public side only tcp/22 answers: IPv4, every TCP port and the common UDP ones; IPv6 link-local
            long ts = System.nanoTime();
            assertThat(scan(ns, address, "-sS", "-p-")).containsExactly(java.util.Map.entry("22/tcp", "open"));
            assertThat(scan(ns, address, "-sU", "-p", "53,67,68,69,80,123,161,514,547,623,5353")).hasSize(11)
                    .allSatisfy((port, state) -> assertThat(state).as(port).isEqualTo("open|filtered"));
            String linkLocal = null;
            for (JsonNode a : ssh.path("addresses")) {
                linkLocal = a.asText().startsWith("fe80:") ? a.asText() : linkLocal;
            }
            assertThat(linkLocal).as("eth1's IPv6 link-local address in %s", ssh).isNotNull();
            assertThat(scan(ns, linkLocal + "%" + LabSettings.PUBLIC_BRIDGE, "-6", "-e", LabSettings.PUBLIC_BRIDGE, "-sS", "--top-ports", "1000"))
                    .containsExactly(java.util.Map.entry("22/tcp", "open"));
            return String.format("ssh: key applied %.1f s after the push; headnode ssh, password refusal, keyscan and port scans %.1f s (scans %.1f s)",
                    applied, seconds(t0) - applied, seconds(ts));
        } finally {
            try (var walk = Files.walk(keys)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Fault case "the 9p share unmounted under a running agent". Injects: {@code umount -l /etc/moc} inside the head
     * node (over {@code headnode ssh}, with a key of its own pushed first). Asserts: the agent logs that the share is
     * gone and mounts it again (9p at /etc/moc within 60 s); meanwhile the last good state stays in force (dhcpd keeps
     * its PID, dhcpd.conf its content, the status stays ready with dhcpd running); and it converges: a change pushed on
     * the host afterwards (two ssh keys instead of one) reaches the agent. Returns its timing line.
     */
    private static String shareUnmountedUnderTheAgent(HeadnodeCli headnode, LabSettings settings) throws Exception {
        long t0 = System.nanoTime();
        Path keys = Files.createTempDirectory("hne2e-9p");
        try {
            Path key = keys.resolve("id_fault");
            Path second = keys.resolve("id_second");
            Command.check("ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-C", "e2e-fault", "-f", key.toString());
            Command.check("ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-C", "e2e-second", "-f", second.toString());
            assertThat(headnode.check("ssh-keys", "push", "--vlan", "100", key + ".pub")).contains("1 keys, written");
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(2)).until(() -> guest(settings, key, "true").exitCode() == 0);
            String state = "pidof dhcpd; md5sum /etc/dhcp/dhcpd.conf";
            String before = guest(settings, key, state + "; grep ' /etc/moc ' /proc/mounts").orThrow().stdout();
            assertThat(before).contains(" /etc/moc 9p ");
            String kept = before.lines().limit(2).reduce("", (a, b) -> a + b + "\n");
            assertThat(kept.lines().count()).as(before).isEqualTo(2);

            long tu = System.nanoTime();
            assertThat(guest(settings, key, "umount -l /etc/moc && echo unmounted").orThrow().stdout()).contains("unmounted");
            String check = "echo \"mounted=$(grep -c ' /etc/moc 9p ' /proc/mounts) logged=$(journalctl -u headnode-agent --no-pager -q"
                    + " | grep -c 'is no longer mounted')\"";
            AtomicReference<String> seen = new AtomicReference<>("");
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                seen.set(guest(settings, key, check).stdout().strip());
                return seen.get().contains("mounted=1 ");
            });
            assertThat(seen.get()).as("the agent logged that the share was gone").doesNotContain("logged=0").containsPattern("logged=[1-9]");
            double remounted = seconds(tu);
            assertThat(guest(settings, key, state).orThrow().stdout()).as("dhcpd kept running on the same configuration").isEqualTo(kept);
            JsonNode status = agentStatus(headnode);
            assertThat(status.path("ready").asBoolean()).as("%s", status).isTrue();
            assertThat(status.path("share").asText()).isEqualTo("mounted-ro");
            assertThat(status.path("services").path("dhcpd").path("detail").asText()).isEqualTo("running");

            // converged: a change pushed on the host afterwards reaches the agent through the mounted-again share
            Path both = keys.resolve("both.pub");
            Files.writeString(both, Files.readString(Path.of(key + ".pub")) + Files.readString(Path.of(second + ".pub")));
            assertThat(headnode.check("ssh-keys", "push", "--vlan", "100", both.toString())).contains("2 keys, written");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> agentStatus(headnode).path("services").path("ssh-keys").path("detail").asText().equals("2 keys"));
            return String.format("fault 9p unmounted: mounted again %.1f s after the umount; whole case %.1f s", remounted, seconds(t0));
        } finally {
            try (var walk = Files.walk(keys)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * Fault case "a head node rebooted in the middle of an install". Injects: node 1 installs again ({@code headnode
     * install MAC}); right after its installer fetched the kickstart the node is paused, the head node gets a hard
     * reset ({@code virsh reset}: no shutdown, what is not on its disk is lost) and is held paused, and the node
     * resumes; once the installer says its callback finds no head node ("does not answer yet", its third try) the
     * head node goes on booting. Holding it makes the case the same every run: a head node that boots faster than the
     * installer's disk work would otherwise answer the first try (session 10 saw it back by the second). Asserts: the
     * installer kept trying ("callback answered after N tries", N >= 3), and its callback is accepted exactly once
     * after the reboot; the agent reports the node {@code installed} (the
     * install state survived on its disk); its per-MAC config is gone; all within bounded waits (no hang). Returns
     * its timing line.
     */
    /** What the lab installer (guest-image/image/payload/init) logs at its third callback try that found no head node. */
    static final String NO_ANSWER_YET = "callback: the head node does not answer yet";

    private static String headNodeResetInTheMiddleOfAnInstall(HeadnodeCli headnode, LabSettings settings, String ns) throws Exception {
        long t0 = System.nanoTime();
        String mac = settings.nodeMac(1);
        String node = settings.nodeName(1);
        int from = console(settings.nodeConsole(1)).length();
        String ks = "parameters from http://" + HEAD + ":80/ks/01-" + mac.replace(':', '-');
        headnode.check("install", "--vlan", "100", mac);
        await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(200))
                .until(() -> since(settings.nodeConsole(1), from).contains(ks));
        double fetched = seconds(t0);
        Command.check("virsh", "-c", settings.localUri(), "suspend", node);
        Command.check("virsh", "-c", settings.localUri(), "reset", "headnode-vlan100");
        Command.check("virsh", "-c", settings.localUri(), "suspend", "headnode-vlan100");
        long tr = System.nanoTime();
        try {
            Command.check("virsh", "-c", settings.localUri(), "resume", node);
            // the installer's disk work, then three callback tries 2 s apart that find no head node
            await().atMost(Duration.ofMinutes(6)).pollInterval(Duration.ofMillis(500))
                    .until(() -> since(settings.nodeConsole(1), from).contains(NO_ANSWER_YET));
        } finally {
            Command.check("virsh", "-c", settings.localUri(), "resume", "headnode-vlan100");
        }
        double held = seconds(tr);
        // the installer keeps trying for 10 minutes; a head node boot took 107 s on a quiet CI machine, 462 s at load 16
        await().atMost(Duration.ofMinutes(11)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            String c = since(settings.nodeConsole(1), from);
            return c.contains(NodeProgress.CALLBACK_ACCEPTED) || c.contains(NodeProgress.INSTALLER_FAILED);
        });
        double accepted = seconds(tr);
        String after = since(settings.nodeConsole(1), from);
        // the callback met no head node three times (held until then), then the rebooted one
        assertThat(after).as("the installer's output after the reset").doesNotContain(NodeProgress.INSTALLER_FAILED)
                .contains(NO_ANSWER_YET).containsPattern("callback answered after ([3-9]|[1-9][0-9]+) tries");
        assertThat(count(after, NodeProgress.CALLBACK_ACCEPTED)).isEqualTo(1);
        AtomicReference<JsonNode> machine = new AtomicReference<>();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> {
            for (JsonNode m : agentStatus(headnode).path("machines")) {
                if (m.path("mac").asText().equalsIgnoreCase(mac)) {
                    machine.set(m);
                }
            }
            return machine.get() != null && machine.get().path("state").asText().equals("installed");
        });
        CommandResult gone = inNs(ns, "curl", "-sS", "--max-time", "3", "tftp://" + HEAD + "/pxelinux.cfg/01-" + mac.replace(':', '-'));
        assertThat(gone.exitCode()).as("per-MAC config must be gone: %s", gone.stdout()).isNotZero();
        return String.format("fault head node reset mid-install: kickstart fetched %.1f s after the request; head node held %.1f s, until the"
                + " installer's third callback try; callback accepted %.1f s after the reset; whole case %.1f s", fetched, held, accepted, seconds(t0));
    }

    /**
     * The {@code image} profile through the head node (issue 10), on node 1 (BIOS) after the flows above: the Debian
     * node image (build-node-image.sh, cached by input hash) is added to the host's catalog with {@code headnode images
     * add}, a fresh admin key is pushed with {@code headnode ssh-keys push}, node 1's disk grows to 2 GiB. Then:
     * <ol>
     * <li>one byte of the catalog's raw file flipped after the add: {@code headnode install --image} gives {@code failed}
     *     with a checksum reason (the ramdisk's callback), the node powered itself off and its disk's first MiB is zeros;</li>
     * <li>the byte restored, the next install of the same node: the ramdisk writes, verifies, grows and seeds, the node
     *     boots its disk (SeaBIOS, PXELINUX's localboot, the ESP's syslinux, Debian), its first-boot report makes it
     *     {@code active} in {@code headnode show --output json}, its console shows {@code <hostname> login:};</li>
     * <li>from the lab namespace on the VLAN side: ssh with the pushed key runs a command on it; password login is refused.</li>
     * <li>the Secure Boot node, installed at the same time as step 2 (two deploys at once through one head node): the
     *     ramdisk (Debian's signed kernel, started by the head node's shim + GRUB under Secure Boot) writes and verifies
     *     the image, the node boots its disk's ESP (shim, GRUB, signed kernel) with {@code secureboot: Secure boot
     *     enabled}, becomes {@code active}, shows its login prompt and takes the same ssh key.</li>
     * </ol>
     * Returns its timing line (with the ramdisk's own phase times).
     */
    private static String imageDeployThroughTheHeadNode(HeadnodeCli headnode, LabSettings settings, String ns) throws Exception {
        long t0 = System.nanoTime();
        String mac = settings.nodeMac(1);
        String node = settings.nodeName(1);
        String hostname = "node-" + mac.substring(9).replace(":", "");
        Path nodeConsole = settings.nodeConsole(1);
        CommandResult build = Command.run(Duration.ofMinutes(20), List.of(HOME.resolve("guest-image/image/build-node-image.sh").toString(),
                "--cache", NODE_IMAGE_CACHE.toString())).orThrow();
        Path built = Path.of(build.stdout().strip().lines().reduce((a, b) -> b).orElseThrow()).resolve("debian-12-node.raw");
        double buildSeconds = seconds(t0);
        Path keys = Files.createTempDirectory("hne2e-image");
        try {
            Path key = keys.resolve("id_node");
            Command.check("ssh-keygen", "-q", "-N", "", "-t", "ed25519", "-C", "e2e-node", "-f", key.toString());
            assertThat(headnode.check("ssh-keys", "push", "--vlan", "100", key + ".pub")).contains("1 keys, written");
            assertThat(headnode.check("images", "add", built.toString(), "--name", Lab.NODE_IMAGE)).contains("image " + Lab.NODE_IMAGE + " added");
            Path raw = new ImageCatalog(HostConfigFile.load(settings.orchestratorConfig(), true).imageDir()).dataFile(new ImageName(Lab.NODE_IMAGE));
            assertThat(Files.size(raw)).isEqualTo(Files.size(built));
            // the kickstart carries the share's keys as the agent applied them: wait for this one (the fault case left two)
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1))
                    .until(() -> agentStatus(headnode).path("services").path("ssh-keys").path("detail").asText().equals("1 keys"));
            Command.run("virsh", "-c", settings.localUri(), "destroy", node);
            Command.check("qemu-img", "resize", "-q", settings.nodeDisk(1).toString(), "2G");
            // the Secure Boot node gets the same image at the same time as node 1's good install (step 4)
            int sb = secureBootNode(settings);
            String sbMac = settings.nodeMac(sb);
            String sbHostname = "node-" + sbMac.substring(9).replace(":", "");
            Path sbConsole = settings.nodeConsole(sb);
            Command.run("virsh", "-c", settings.localUri(), "destroy", settings.nodeName(sb));
            Command.check("qemu-img", "resize", "-q", settings.nodeDisk(sb).toString(), "2G");

            // 1. one byte flipped in the catalog's copy: failed, with the checksum reason; no bootable disk is left
            flipByte(raw, CORRUPT_AT);
            long tf = System.nanoTime();
            int from = console(nodeConsole).length();
            headnode.check("install", "--vlan", "100", "--image", Lab.NODE_IMAGE, mac);
            // under TCG at load 25-55: PXE and ramdisk boot ~80 s, write 66 s, sha256 289 s (docs/benchmarks/deploy.md)
            await().atMost(Duration.ofMinutes(15)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                String c = since(nodeConsole, from);
                return c.contains(NodeProgress.DEPLOY_FAILED) || c.contains(NodeProgress.DEPLOY_ACCEPTED);
            });
            AtomicReference<JsonNode> failed = new AtomicReference<>();
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                failed.set(machine(headnode, mac));
                return List.of("failed", "installed", "active").contains(failed.get().path("state").asText());
            });
            double failedSeconds = seconds(tf);
            await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofSeconds(1)).until(() ->
                    Command.run("virsh", "-c", settings.localUri(), "domstate", node).stdout().strip().equals("shut off"));
            String bad = since(nodeConsole, from);
            assertThat(bad).contains("headnode-deploy: FAILED: checksum: sha256 of the written image is", "disk /dev/vda wiped", "failure reported")
                    .doesNotContain(NodeProgress.DEPLOY_ACCEPTED);
            assertThat(failed.get().path("state").asText()).as("%s", failed.get()).isEqualTo("failed");
            assertThat(failed.get().path("detail").asText()).as("%s", failed.get()).contains("checksum");
            Path first = keys.resolve("first-mib.raw");
            Command.check("qemu-img", "dd", "-f", "qcow2", "-O", "raw", "bs=1048576", "count=1", "if=" + settings.nodeDisk(1), "of=" + first);
            assertThat(Files.readAllBytes(first)).as("the failed disk's first MiB").hasSize(1 << 20).containsOnly((byte) 0);

            // 2. the byte restored: the same node's next install succeeds and its OS reports (active)
            flipByte(raw, CORRUPT_AT);
            long ti = System.nanoTime();
            int from2 = console(nodeConsole).length();
            headnode.check("install", "--vlan", "100", "--image", Lab.NODE_IMAGE, mac);
            long ts = System.nanoTime();
            int sbFrom = console(sbConsole).length();
            headnode.check("install", "--vlan", "100", "--image", Lab.NODE_IMAGE, sbMac);
            AtomicReference<JsonNode> active = new AtomicReference<>();
            // install to active took 620 s at load 25-55 (docs/benchmarks/deploy.md)
            await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                active.set(machine(headnode, mac));
                String state = active.get().path("state").asText();
                String c = since(nodeConsole, from2);   // until this install's ramdisk ran, "failed" is the last install's
                return state.equals("active") || c.contains(NodeProgress.DEPLOY_FAILED) || state.equals("failed") && c.contains(NodeProgress.DEPLOY_START);
            });
            double activeSeconds = seconds(ti);
            assertThat(active.get().path("state").asText()).as("%s; console: %s", active.get(), tail(since(nodeConsole, from2))).isEqualTo("active");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> since(nodeConsole, from2).contains(hostname + " login:"));
            double loginSeconds = seconds(ti);
            String good = since(nodeConsole, from2);
            assertThat(good).contains("headnode-deploy: sha256 verified", "partition 3 grown to the end of /dev/vda",
                    "1 ssh key(s) for root", "first-boot seed written (hostname " + hostname + ")", NodeProgress.DEPLOY_ACCEPTED);
            String boot = good.substring(good.indexOf(NodeProgress.DEPLOY_ACCEPTED));
            // PXELINUX's default config boots the local disk: SeaBIOS -> gptmbr -> the ESP's syslinux -> the signed kernel -> Debian
            assertThat(boot).contains("PXELINUX 6.04", "SYSLINUX 6.04", "Loading /vmlinuz...", "Debian GNU/Linux 12 " + hostname + " ttyS0",
                    hostname + " login:");
            assertThat(count(good, NodeProgress.DEPLOY_START)).as("one ramdisk run").isEqualTo(1);

            // 3. ssh from the lab namespace on the VLAN side, with the key pushed to the share; no password login
            String address = active.get().path("address").asText();
            assertThat(address).as("node 1's address in %s", active.get()).isEqualTo("10.0.100.2");
            double sshSeconds = sshIntoTheDeployedNode(ns, address, key, hostname, keys);

            // 4. the Secure Boot node (OVMF with Microsoft's keys enrolled, shim + GRUB from the head node): the deploy
            //    ramdisk's signed kernel runs, the image is written and verified, the node boots its disk's ESP (Debian's
            //    signed shim, GRUB and kernel) with Secure Boot on, reports (active), and takes the same ssh key
            AtomicReference<JsonNode> sbActive = new AtomicReference<>();
            await().atMost(Duration.ofMinutes(20)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                sbActive.set(machine(headnode, sbMac));
                return sbActive.get().path("state").asText().equals("active") || since(sbConsole, sbFrom).contains(NodeProgress.DEPLOY_FAILED);
            });
            double sbActiveSeconds = seconds(ts);
            assertThat(sbActive.get().path("state").asText()).as("%s; console: %s", sbActive.get(), tail(since(sbConsole, sbFrom))).isEqualTo("active");
            await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> since(sbConsole, sbFrom).contains(sbHostname + " login:"));
            String sbText = since(sbConsole, sbFrom);
            assertThat(sbText).contains("headnode-deploy: sha256 verified", "partition 3 grown to the end of /dev/vda",
                    "first-boot seed written (hostname " + sbHostname + ")", NodeProgress.DEPLOY_ACCEPTED);
            assertThat(count(sbText, NodeProgress.DEPLOY_START)).as("one ramdisk run on the Secure Boot node").isEqualTo(1);
            String sbBoot = sbText.substring(sbText.indexOf(NodeProgress.DEPLOY_ACCEPTED));
            assertThat(sbBoot).contains("headnode node image: booting Debian (UEFI)", "secureboot: Secure boot enabled",
                    "Debian GNU/Linux 12 " + sbHostname + " ttyS0", sbHostname + " login:");
            double sbSshSeconds = sshIntoTheDeployedNode(ns, sbActive.get().path("address").asText(), key, sbHostname, keys);
            return String.format("image deploy (node 1, BIOS, %d MiB raw): node image build %.1f s; corrupted: install to failed %.1f s (%s);"
                            + " good: install to active %.1f s, login prompt at %.1f s (%s); ssh with the key answered %.1f s after the"
                            + " prompt, password refused; Secure Boot node %d at the same time: install to active %.1f s (%s), ssh %.1f s after;"
                            + " whole case %.1f s",
                    Files.size(raw) >> 20, buildSeconds, failedSeconds, phases(bad), activeSeconds, loginSeconds, phases(good), sshSeconds,
                    sb, sbActiveSeconds, phases(sbText), sbSshSeconds, seconds(t0));
        } finally {
            try (var walk = Files.walk(keys)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /**
     * ssh into the deployed node as an admin on the VLAN does (issue 10): from the lab namespace through the VLAN bridge
     * (the head node's and the nodes' taps are on it; the test's probe address is on it since {@code lab up}, else one is
     * added here and removed after), as root with {@code key} (pushed to the share, written by the ramdisk into root's
     * authorized_keys). Retries until sshd answers (its host keys are made on first boot, after the login prompt may
     * show), records the host keys it served, runs {@code hostname} and reads {@code VERSION_ID}; then ssh with only
     * password methods must fail with {@code Permission denied (publickey)}. Returns the seconds until the key login worked.
     */
    private static double sshIntoTheDeployedNode(String ns, String address, Path key, String hostname, Path dir) throws Exception {
        long t0 = System.nanoTime();
        String bridge = "br-vlan" + VLAN.id();
        String prefix = address.substring(0, address.lastIndexOf('.') + 1);
        boolean added = !Command.check("ip", "-n", ns, "-4", "-o", "addr", "show", "dev", bridge).stdout().contains("inet " + prefix);
        if (added) {
            Command.check("ip", "-n", ns, "addr", "add", PROBE + "/24", "dev", bridge);
        }
        try {
            Path knownHosts = dir.resolve("node_known_hosts");
            List<String> base = List.of("ip", "netns", "exec", ns, "ssh", "-F", "none", "-o", "BatchMode=yes", "-o", "ConnectTimeout=15",
                    "-o", "UserKnownHostsFile=" + knownHosts);
            List<String> withKey = new ArrayList<>(base);
            withKey.addAll(List.of("-o", "StrictHostKeyChecking=accept-new", "-o", "IdentitiesOnly=yes", "-i", key.toString(),
                    "root@" + address, "hostname; . /etc/os-release; echo \"$VERSION_ID\""));
            AtomicReference<CommandResult> login = new AtomicReference<>();
            await().atMost(Duration.ofMinutes(3)).pollInterval(Duration.ofSeconds(3)).until(() -> {
                login.set(Command.run(Duration.ofSeconds(60), withKey));
                return login.get().exitCode() == 0;
            });
            double seconds = seconds(t0);
            assertThat(login.get().stdout().strip().lines().toList()).as("%s", login.get().stderr()).containsExactly(hostname, "12");
            assertThat(Files.readString(knownHosts)).as("the host key sshd served").contains(address + " ssh-ed25519 ");
            List<String> password = new ArrayList<>(base);
            password.addAll(List.of("-o", "StrictHostKeyChecking=yes", "-o", "PreferredAuthentications=password,keyboard-interactive",
                    "-o", "PubkeyAuthentication=no", "root@" + address, "true"));
            CommandResult refused = Command.run(Duration.ofSeconds(60), password);
            assertThat(refused.exitCode()).as(refused.stdout() + refused.stderr()).isEqualTo(255);
            assertThat(refused.stderr()).contains("Permission denied (publickey).");
            return seconds;
        } finally {
            if (added) {
                Command.run("ip", "-n", ns, "addr", "del", PROBE + "/24", "dev", bridge);
            }
        }
    }

    /** The lab's Secure Boot node (OVMF_CODE_4M.secboot.fd, PXE): the mixed lab has exactly one. */
    private static int secureBootNode(LabSettings settings) {
        for (int i = 1; i <= settings.nodes(); i++) {
            if (settings.nodeFirmware(i) == LabFirmware.SECUREBOOT) {
                return i;
            }
        }
        throw new IllegalStateException("the lab has no Secure Boot node");
    }

    /** XORs one byte of {@code file} with 1 (twice restores it). */
    private static void flipByte(Path file, long at) throws IOException {
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x01);
        }
    }

    /** The agent's status of the machine with {@code mac} (an empty object when it is not listed). */
    private static JsonNode machine(HeadnodeCli headnode, String mac) throws IOException {
        for (JsonNode m : agentStatus(headnode).path("machines")) {
            if (m.path("mac").asText().equalsIgnoreCase(mac)) {
                return m;
            }
        }
        return JSON.createObjectNode();
    }

    /** The deploy ramdisk's phase times from a console ("written 21 s, sha256 107 s, grow 6 s"); DeployRamdiskIT uses it too. */
    static String phases(String console) {
        List<String> p = new ArrayList<>();
        Matcher m = DEPLOY_PHASE.matcher(console);
        while (m.find()) {
            p.add(m.group(1).replace("partition", "grow").split(" ")[0] + " " + m.group(2) + " s");
        }
        return String.join(", ", p);
    }

    private static String tail(String text) {
        return text.substring(Math.max(0, text.length() - 3000));
    }

    /** The console's text from offset {@code from} on (all of it if it got shorter). */
    private static String since(Path log, int from) throws IOException {
        String text = console(log);
        return text.substring(Math.min(from, text.length()));
    }

    /** Runs {@code command} in the head node as root over {@code headnode ssh} (the launcher, as an admin runs it). */
    private static CommandResult guest(LabSettings settings, Path key, String command) {
        return Command.run(Duration.ofSeconds(60), List.of(HOME.resolve("bin/headnode").toString(), "--config", settings.orchestratorConfig().toString(),
                "ssh", "--vlan", "100", "-i", key.toString(), "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "--", command));
    }

    /** nmap from the lab namespace (no DNS, no ping, one retry): the state of each port it lists, e.g. 22/tcp=open. */
    private static java.util.Map<String, String> scan(String ns, String target, String... how) {
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns, "nmap", "-n", "-Pn", "--max-retries", "1", "--min-rate", "3000", "-oG", "-"));
        cmd.addAll(List.of(how));
        cmd.add(target);
        CommandResult r = Command.run(Duration.ofMinutes(3), cmd);
        assertThat(r.exitCode()).as(r.stdout() + r.stderr()).isZero();
        assertThat(r.stdout()).as("nmap finished the scan of %s", target).contains("# Nmap done at").contains("Status: Up");
        java.util.Map<String, String> ports = new java.util.TreeMap<>();
        Matcher m = Pattern.compile("(\\d+)/([a-z|]+)/(tcp|udp)/").matcher(r.stdout());
        while (m.find()) {
            ports.put(m.group(1) + "/" + m.group(3), m.group(2));
        }
        return ports;
    }

    /**
     * The agent's latest status line from the virtio-serial channel (what {@code headnode show} reads). Listens 12 s
     * (the agent publishes at least every 10 s), up to three times: a line can be held back while no host listens.
     */
    private static JsonNode agentStatus(HeadnodeCli headnode) throws IOException {
        String seen = "";
        for (int attempt = 0; attempt < 3; attempt++) {
            HeadnodeCli.Result show = headnode.run("show", "--vlan", "100", "--output", "json", "--status-timeout", "12s");
            assertThat(show.exitCode()).as(show.err()).isZero();
            JsonNode agent = JSON.readTree(show.out()).path("agent");
            if (agent.isObject()) {
                return agent;
            }
            if (agent.isTextual() && !agent.asText().isBlank()) {
                return JSON.readTree(agent.asText());
            }
            seen = show.out();
        }
        throw new AssertionError("no agent status on the status channel in 3 x 12 s; headnode show said: " + seen);
    }

    private static CommandResult inNs(String ns, String... cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(List.of(cmd));
        return Command.run(Duration.ofSeconds(20), all);
    }

    /** A serial console log as printable text: firmware output is full of escape sequences, CRs and stray bytes. */
    private static String console(Path p) throws IOException {
        String raw = Files.exists(p) ? new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1) : "";
        return raw.replaceAll("\\e\\[[0-9;]*[A-Za-z]", "").replaceAll("[^\\x20-\\x7e\\n]", "");
    }

    private static int count(String text, String what) {
        int n = 0;
        for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
            n++;
        }
        return n;
    }

    /** From the lab transcript: seconds between "firmware running" and "PXELINUX loaded" (0.5 s polling). */
    private static String pxeBannerSeconds(String transcript, String node) {
        Double on = at(transcript, "node " + node + ": " + NodeProgress.FIRMWARE.description());
        Double pxe = at(transcript, "node " + node + ": " + NodeProgress.PXELINUX.description());
        return on == null || pxe == null ? "?" : String.format("%.1f s", pxe - on);
    }

    /** From the lab transcript: seconds between "firmware running" and {@code stage} of {@code node}. */
    private static String stageSeconds(String transcript, String node, NodeProgress stage) {
        Double on = at(transcript, "node " + node + ": " + NodeProgress.FIRMWARE.description());
        Double reached = at(transcript, "node " + node + ": " + stage.description());
        return on == null || reached == null ? "?" : String.format("%.1f s", reached - on);
    }

    private static int machinesInstalled(HeadnodeCli headnode) throws IOException {
        int n = 0;
        for (JsonNode m : agentStatus(headnode).path("machines")) {
            n += m.path("state").asText().equals("installed") ? 1 : 0;
        }
        return n;
    }

    private static Double at(String transcript, String line) {
        Matcher m = Pattern.compile("\\[\\s*([0-9.]+)s\\] " + Pattern.quote(line)).matcher(transcript);
        return m.find() ? Double.parseDouble(m.group(1)) : null;
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    /** Writes to the transcript and to stdout (the lab's progress lines show in the build log). */
    private static final class Tee extends Writer {
        private final StringWriter copy;

        Tee(StringWriter copy) {
            this.copy = copy;
        }

        @Override
        public synchronized void write(char[] cbuf, int off, int len) {
            copy.write(cbuf, off, len);
            System.out.print(new String(cbuf, off, len));
        }

        @Override
        public void flush() {
            System.out.flush();
        }

        @Override
        public void close() {
        }
    }
}
