package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.headnode.testing.ParserErrors;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Fuzzes install requests: the id (from the request's file name, which the share controls too) and the content. Input:
 * {@code id NUL content} (no NUL: id "request"). Seeds: InstallRequestFuzzTestInputs/parse. A request either reads as
 * one that writes back to itself, or is refused with a {@link ShareFormatException} naming the file and a line.
 */
class InstallRequestFuzzTest {
    private static final String FILE = "requests/fuzz.install";

    @FuzzTest
    void parse(byte[] input) throws ShareFormatException {
        int nul = 0;
        while (nul < input.length && input[nul] != 0) {
            nul++;
        }
        String id = nul < input.length ? new String(input, 0, nul, StandardCharsets.UTF_8) : "request";
        byte[] content = nul < input.length ? Arrays.copyOfRange(input, nul + 1, input.length) : input;
        Optional<InstallRequest> read = ParserErrors.parse(FILE, content, (file, c) -> InstallRequest.parse(file, id, c));
        if (read.isEmpty()) {
            return;
        }
        InstallRequest request = read.get();
        assertThat(request.id()).isEqualTo(id);
        assertThat(request.all()).isNotEqualTo(!request.macs().isEmpty());
        assertThat(InstallRequest.parse(FILE, id, request.render())).isEqualTo(request);
    }
}
