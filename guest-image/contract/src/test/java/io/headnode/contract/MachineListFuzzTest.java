package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.testing.ParserErrors;
import java.util.Optional;

/**
 * Fuzzes machines.txt. Seeds: MachineListFuzzTestInputs/parse. A file either reads as a list that writes back to
 * itself, or is refused with a {@link ShareFormatException} naming the file and a line; nothing else is thrown.
 */
class MachineListFuzzTest {
    private static final String FILE = MachineList.FILE_NAME;

    @FuzzTest
    void parse(byte[] content) throws ShareFormatException {
        Optional<MachineList> read = ParserErrors.parse(FILE, content, MachineList::parse);
        if (read.isEmpty()) {
            return;
        }
        MachineList list = read.get();
        assertThat(list.machines()).extracting(Machine::mac).doesNotHaveDuplicates();
        assertThat(MachineList.parse(FILE, list.render())).isEqualTo(list);
    }
}
