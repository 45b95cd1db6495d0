package io.headnode.orchestrator.spec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.common.kv.KvException;
import io.headnode.testing.ParserErrors;
import java.util.Optional;

/**
 * Fuzzes the desired-spec files ({@code <state-dir>/specs/<vlan>.spec}). Seeds: SpecCodecFuzzTestInputs/parse. A file
 * either reads as a spec that writes back to itself, or is refused with a {@link KvException} naming the file and a
 * line; nothing else is thrown.
 */
class SpecCodecFuzzTest {
    private static final String FILE = "100.spec";

    @FuzzTest
    void parse(byte[] content) throws KvException {
        Optional<HeadnodeSpec> read = ParserErrors.parse(FILE, content, SpecCodec::parse);
        if (read.isEmpty()) {
            return;
        }
        HeadnodeSpec spec = read.get();
        assertThat(SpecCodec.parse(FILE, SpecCodec.render(spec))).isEqualTo(spec);
    }
}
