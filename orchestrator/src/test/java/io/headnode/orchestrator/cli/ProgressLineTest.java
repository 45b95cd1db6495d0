package io.headnode.orchestrator.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class ProgressLineTest {
    static String drive(boolean terminal) {
        StringWriter w = new StringWriter();
        ProgressLine p = new ProgressLine(new PrintWriter(w), terminal);
        p.status("[  1s]", "0 of 2 done");
        p.status("[  3s]", "0 of 2 done");
        p.event("node a installing");
        p.status("[  5s]", "1 of 2 done");
        p.done();
        return w.toString();
    }

    @Test
    void onATerminalTheStatusIsOneRewrittenLine() {
        assertThat(drive(true)).isEqualTo("\r\033[K[  1s] 0 of 2 done\r\033[K[  3s] 0 of 2 done"
                + "\r\033[Knode a installing\n[  3s] 0 of 2 done\r\033[K[  5s] 1 of 2 done\n");
    }

    @Test
    void elsewherePlainLinesOnlyWhenTheStateChanges() {
        assertThat(drive(false)).isEqualTo("[  1s] 0 of 2 done\nnode a installing\n[  5s] 1 of 2 done\n");
        assertThat(ProgressLine.on(new PrintWriter(new StringWriter()))).isNotNull();
    }
}
