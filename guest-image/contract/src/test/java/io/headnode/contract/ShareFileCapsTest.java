package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.function.IntFunction;
import org.junit.jupiter.api.Test;

/**
 * Every share file has a size cap and an entry cap (docs/agent.md, "Share files and their caps"): a file at its entry
 * cap is read, one entry more is refused at the line of that entry, before the parser keeps it; a file over its size
 * cap is refused as a whole. The entry cap is what bounds the heap: a file of many short lines well under its size cap
 * (issue 13: "tens of thousands of lines under 4 MiB exhausts the heap") is refused at line cap + 1.
 */
class ShareFileCapsTest {
    private static byte[] lines(int n, IntFunction<String> line) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < n; i++) {
            b.append(line.apply(i)).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String mac(int i) {
        return String.format("52:54:00:%02x:%02x:%02x", i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff);
    }

    @Test
    void machinesTxtHoldsAtMost4096MachinesAndRefusesTensOfThousandsOfLinesUnderItsSizeCap() throws Exception {
        assertThat(MachineList.MAX_MACHINES).isEqualTo(4096);
        assertThat(MachineList.parse("machines.txt", lines(4096, i -> mac(i) + " h")).machines()).hasSize(4096);
        byte[] many = lines(200_000, i -> mac(i) + " h");
        assertThat(many.length).isLessThan(MachineList.MAX_BYTES);
        assertThatThrownBy(() -> MachineList.parse("machines.txt", many))
                .hasMessage("machines.txt:4097: more than 4096 entries (lines that are not blank or a comment)");
        // comments and blank lines are not entries and are not kept
        byte[] commented = lines(100_000, i -> i % 40 == 0 && i / 40 < 2500 ? mac(i) + " h" : "# note");
        assertThat(MachineList.parse("machines.txt", commented).machines()).hasSize(2500);
        assertThatThrownBy(() -> MachineList.parse("machines.txt", new byte[MachineList.MAX_BYTES + 1]))
                .hasMessage("machines.txt: file: larger than 4194304 bytes");
    }

    @Test
    void credentialsConfHoldsAtMost8192Entries() throws Exception {
        assertThat(CredentialsFile.parse("credentials.conf", lines(8192, i -> mac(i) + " user=u secret=s")).entries()).hasSize(8192);
        assertThatThrownBy(() -> CredentialsFile.parse("credentials.conf", lines(100_000, i -> mac(i) + " user=u")))
                .hasMessage("credentials.conf:8193: more than 8192 entries (lines that are not blank or a comment)");
        assertThatThrownBy(() -> CredentialsFile.parse("credentials.conf", new byte[CredentialsFile.MAX_BYTES + 1]))
                .hasMessage("credentials.conf: file: larger than 4194304 bytes");
    }

    @Test
    void anInstallRequestHoldsAtMost4096Lines() throws Exception {
        assertThat(InstallRequest.parse("requests/r.install", "r", lines(4096, ShareFileCapsTest::mac)).macs()).hasSize(4096);
        assertThatThrownBy(() -> InstallRequest.parse("requests/r.install", "r", lines(50_000, ShareFileCapsTest::mac)))
                .hasMessage("requests/r.install:4099: more than 4098 entries (lines that are not blank or a comment)");
        assertThatThrownBy(() -> InstallRequest.parse("requests/r.install", "r", lines(4097, ShareFileCapsTest::mac)))
                .hasMessage("requests/r.install:4097: mac: more than 4096 MACs");
        assertThatThrownBy(() -> InstallRequest.parse("requests/r.install", "r", new byte[InstallRequest.MAX_BYTES + 1]))
                .hasMessage("requests/r.install: file: larger than 1048576 bytes");
    }

    @Test
    void headnodeConfHoldsAtMost64Lines() {
        assertThatThrownBy(() -> HeadnodeConfig.parse("headnode.conf", lines(1_000, i -> "k" + i + " = v")))
                .hasMessage("headnode.conf:65: more than 64 entries (lines that are not blank or a comment)");
        assertThatThrownBy(() -> HeadnodeConfig.parse("headnode.conf", new byte[HeadnodeConfig.MAX_BYTES + 1]))
                .hasMessage("headnode.conf: file: larger than 65536 bytes");
    }

    @Test
    void aMachineListOverTheCapCannotBeBuiltEither() {
        java.util.List<Machine> many = new java.util.ArrayList<>();
        for (int i = 0; i < 4097; i++) {
            many.add(new Machine(MacAddress.parse(mac(i)), BmcAddress.parse("h")));
        }
        assertThatThrownBy(() -> new MachineList(many)).hasMessage("4097 machines are more than 4096");
    }
}
