package io.headnode.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InstallRequestTest {
    @Test
    void readsMacsOrAllAndWritesBack() throws Exception {
        InstallRequest r = InstallRequest.parse("requests/r1.install", "r1", "# two\n52-54-00-AA-00-01\n52:54:00:aa:00:02\n".getBytes(StandardCharsets.UTF_8));
        assertThat(r.macs()).extracting(MacAddress::value).containsExactly("52:54:00:aa:00:01", "52:54:00:aa:00:02");
        assertThat(InstallRequest.parse("requests/r1.install", "r1", r.render())).isEqualTo(r);
        assertThat(InstallRequest.parse("requests/r2.install", "r2", "all\n".getBytes(StandardCharsets.UTF_8)).all()).isTrue();
    }

    @Test
    void anIdFromAFileNameWithALineBreakIsRefusedOnOneLine() {
        // found by InstallRequestFuzzTest: the id was echoed raw, so a file name could forge a log line
        assertThatThrownBy(() -> InstallRequest.parse("requests/x.install", "bad\nINFO forged", "all\n".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(ShareFormatException.class)
                .hasMessage("requests/x.install: request: request id 'bad\\x0aINFO forged' must be 1-64 of [A-Za-z0-9_.-]");
    }
}
