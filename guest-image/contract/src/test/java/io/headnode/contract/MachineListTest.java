package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MachineListTest {
    private static MachineList parse(String s) throws ShareFormatException {
        return MachineList.parse("machines.txt", s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void parsesSeedFormWithCommentsBlankLinesCrlfAndMixedCase() throws Exception {
        MachineList l = parse("# nodes\r\n\r\nAA-BB-CC-DD-EE-01  10.0.0.5\r\n52:54:00:aa:00:02\tbmc-2.example.org # rack 3\n  52:54:00:AA:00:03 [fd00::5]:623\n");
        assertThat(l.machines()).extracting(m -> m.mac().value())
                .containsExactly("aa:bb:cc:dd:ee:01", "52:54:00:aa:00:02", "52:54:00:aa:00:03");
        assertThat(l.machines().get(2).bmc().host()).isEqualTo("fd00::5");
        assertThat(l.machines().get(2).bmc().port()).isEqualTo(623);
        assertThat(MachineList.parse("x", l.render())).isEqualTo(l);
    }

    @Test
    void duplicateMacNamesBothLines() {
        assertThatThrownBy(() -> parse("aa:bb:cc:dd:ee:01 10.0.0.5\n\nAA-BB-CC-DD-EE-01 10.0.0.6\n"))
                .isInstanceOf(ShareFormatException.class)
                .hasMessage("machines.txt:3: mac: aa:bb:cc:dd:ee:01 is already listed on line 1");
    }

    @Test
    void multicastMacIsRejected() {
        assertThatThrownBy(() -> parse("01:00:5e:00:00:01 10.0.0.5\n"))
                .hasMessageContaining("machines.txt:1: mac:").hasMessageContaining("multicast");
    }

    @Test
    void badAddressNamesField() {
        assertThatThrownBy(() -> parse("aa:bb:cc:dd:ee:01 10.0.0.500\n"))
                .hasMessageStartingWith("machines.txt:1: bmc-address:");
        assertThatThrownBy(() -> parse("aa:bb:cc:dd:ee:01 a;rm -rf /\n"))
                .hasMessageStartingWith("machines.txt:1:");
        assertThatThrownBy(() -> parse("aa:bb:cc:dd:ee:01\n"))
                .hasMessageStartingWith("machines.txt:1: bmc-address: missing");
    }

    @Test
    void binaryJunkIsRejectedWithLine() {
        byte[] junk = {'a', '\n', 'b', 0, 'c'};
        assertThatThrownBy(() -> MachineList.parse("m.txt", junk)).hasMessageStartingWith("m.txt:2: content: control character 0x00");
        byte[] latin1 = {'\n', '\n', (byte) 0xe9};
        assertThatThrownBy(() -> MachineList.parse("m.txt", latin1)).hasMessage("m.txt:3: content: not UTF-8 text (byte 0xe9 at byte 1 of the line)");
    }

    @Test
    void pxelinuxName() {
        assertThat(MacAddress.parse("AA:bb:CC:dd:EE:ff").pxelinuxConfigName()).isEqualTo("01-aa-bb-cc-dd-ee-ff");
    }
}
