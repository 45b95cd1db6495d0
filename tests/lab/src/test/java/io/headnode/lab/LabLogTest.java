package io.headnode.lab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class LabLogTest {
    @Test
    void aTranscriptThatIsNotATerminalGetsStepsWithTheirTimeAndNoStatusLines() {
        StringWriter w = new StringWriter();
        LabLog log = new LabLog(new PrintWriter(w));
        log.step("image /var/cache/headnode/image/abc");
        log.waiting("waiting for the head node's agent");
        log.print("debootstrap bookworm\n\n[3s] configuring\n");
        log.doneWaiting();
        assertThat(w.toString()).matches("(?s)\\[ +[0-9]+\\.[0-9]s\\] image /var/cache/headnode/image/abc\n"
                + " {11}debootstrap bookworm\n {11}\\[3s\\] configuring\n").doesNotContain("\r").doesNotContain("waiting");
    }
}
