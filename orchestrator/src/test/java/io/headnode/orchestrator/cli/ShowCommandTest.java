package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.headnode.contract.AgentStatus;
import io.headnode.contract.Vlan;
import io.headnode.orchestrator.FakeHypervisor;
import io.headnode.orchestrator.FakeVlanNetwork;
import io.headnode.orchestrator.TestHost;
import io.headnode.testing.Command;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code show} and {@code list} on fakes, with a status channel served by the test: the text tables and the stable JSON shape. */
class ShowCommandTest {
    /** The documented keys of {@code show --output json} (docs/orchestrator.md), in order. */
    static final List<String> SHOW_KEYS = List.of("vlan", "desired", "domain", "state", "autostart", "vlanBridge", "publicBridge", "trunk",
            "memoryMib", "vcpus", "image", "kernel", "vlanMac", "publicMac", "uuid", "drift", "share", "machines", "agent", "consoleLog");
    /** The documented keys of each {@code list --output json} row. */
    static final List<String> LIST_KEYS = List.of("vlan", "desired", "domain", "state", "autostart", "vlanBridge", "publicBridge", "trunk",
            "memoryMib", "vcpus", "image", "kernel", "vlanMac", "publicMac", "uuid", "driftActions", "driftError", "nodesListed", "nodesInstalling");

    @TempDir
    Path tmp;
    TestHost host;
    FakeHypervisor hv = new FakeHypervisor();
    ServerSocketChannel server;
    Thread serving;

    @BeforeEach
    void headnode() throws Exception {
        host = TestHost.withFakes(tmp, hv, new FakeVlanNetwork());
        Path image = tmp.resolve("base.qcow2");
        Command.check("qemu-img", "create", "-q", "-f", "qcow2", image.toString(), "16M");
        TestHost.Run create = host.cli("create", "--vlan", "12", "--image", image.toString());
        assertThat(create.exitCode()).as(create.toString()).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
            serving.join(5000);
        }
    }

    /** Serves the status line to every client of the VLAN's status socket, as QEMU's end of the channel would. */
    void serveStatus(AgentStatus status) throws Exception {
        Path socket = host.config.stateDir().resolve("run/vlan12.status");
        Files.createDirectories(socket.getParent());
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        byte[] line = (status.toJson() + "\n").getBytes(StandardCharsets.UTF_8);
        serving = new Thread(() -> {
            List<SocketChannel> clients = new ArrayList<>();
            try {
                while (true) {
                    SocketChannel c = server.accept();
                    c.write(ByteBuffer.wrap(line));
                    clients.add(c);   // held open: the reader decides when it has enough
                }
            } catch (Exception e) {
                // closed by the test
            } finally {
                clients.forEach(c -> {
                    try {
                        c.close();
                    } catch (Exception e) {
                        // ignore
                    }
                });
            }
        });
        serving.start();
    }

    @Test
    void showJsonHasTheDocumentedKeysAndItsAgentObjectParsesBackIntoTheRecord() throws Exception {
        AgentStatus status = AgentStatusTextTest.degraded().withUpdated(Instant.now());
        serveStatus(status);
        TestHost.Run r = host.cli("show", "--vlan", "12", "--output", "json", "--status-timeout", "1s");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode json = new ObjectMapper().readTree(r.out());
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(SHOW_KEYS);
        assertThat(json.path("vlan").asInt()).isEqualTo(12);
        assertThat(json.path("drift").isArray()).isTrue();
        assertThat(AgentStatus.parse(json.path("agent").toString())).isEqualTo(status);
    }

    @Test
    void showTextPrintsTheAgentAsFieldsAndANodeTable() throws Exception {
        serveStatus(AgentStatusTextTest.degraded().withUpdated(Instant.now()));
        TestHost.Run r = host.cli("show", "--vlan", "12", "--status-timeout", "1s");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).contains("drift:        none\n").contains("agent:        not ready, updated ")
                .contains("services:     1 of 3 not healthy\n")
                .containsPattern("(?m)^  MAC                ADDRESS      STATE       SINCE +DETAIL$")
                .containsPattern("(?m)^  52:54:00:aa:00:01  10\\.100\\.0\\.2   installing  \\S+ +installer booted \\(attempt 1\\)$")
                .doesNotContain("{\"");
    }

    @Test
    void listPrintsStateDriftAndNodesInstallingAndItsJsonHasTheDocumentedKeys() throws Exception {
        serveStatus(AgentStatusTextTest.degraded().withUpdated(Instant.now()));
        TestHost.Run text = host.cli("list", "--status-timeout", "5s");
        assertThat(text.exitCode()).as(text.toString()).isZero();
        assertThat(text.out()).isEqualTo("""
                VLAN  STATE    DRIFT  INSTALLING  DOMAIN
                12    running  none   1 of 5      headnode-vlan12
                """);
        hv.destroy("headnode-vlan12");
        TestHost.Run json = host.cli("list", "--output", "json", "--status-timeout", "5s");
        JsonNode row = new ObjectMapper().readTree(json.out()).get(0);
        List<String> keys = new ArrayList<>();
        row.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactlyElementsOf(LIST_KEYS);
        assertThat(row.path("state").asText()).isEqualTo("shutoff");
        assertThat(row.path("driftActions").asInt()).isEqualTo(1);
        assertThat(row.path("driftError").isNull()).isTrue();
        assertThat(row.path("nodesListed").asInt()).isEqualTo(5);
        assertThat(row.path("nodesInstalling").asInt()).isEqualTo(1);
        assertThat(host.cli("list").out()).contains("12    shutoff  1 action");
    }

    @Test
    void sshAccessShowsTheAddressesAndEachHostKeysFingerprint() throws Exception {
        AgentStatus.HostKey ed = AgentStatus.HostKey.of(io.headnode.contract.SshPublicKey.parseLine(
                io.headnode.orchestrator.TestSshKeys.pub("ed25519")));
        StringWriter w = new StringWriter();
        SshAccessView.print(new PrintWriter(w, true), new Vlan(100), new AgentStatus.Ssh(List.of("192.0.2.10", "fe80::1"), List.of(ed)));
        assertThat(w.toString()).isEqualTo("ssh: 192.0.2.10 fe80::1  (headnode ssh --vlan 100 connects to 192.0.2.10)\n"
                + "  ssh-ed25519                          SHA256:nn39BVXv0FZW+DjfcRnVgYkmyN46QJkuzVMUuhK8+rE\n");
        StringWriter none = new StringWriter();
        SshAccessView.print(new PrintWriter(none, true), new Vlan(100), AgentStatus.Ssh.NONE);
        assertThat(none.toString()).isEqualTo("ssh: no public address reported\n  no host keys reported yet\n");
    }
}
