package io.headnode.orchestrator.log;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The journal's line format (priority prefix, level, MDC fields, no timestamp) and when it is chosen. */
class JournalLoggingTest {
    private static String render(String pattern, Level level, Map<String, String> mdc) {
        LoggerContext ctx = new LoggerContext();
        PatternLayout layout = new PatternLayout();
        layout.setContext(ctx);
        layout.getInstanceConverterMap().put("syslogPriority", SyslogPriorityConverter::new);
        layout.getInstanceConverterMap().put("mdcFields", MdcFieldsConverter::new);
        layout.setPattern(pattern);
        layout.start();
        Logger logger = ctx.getLogger("io.headnode.orchestrator.reconcile.Reconciler");
        LoggingEvent e = new LoggingEvent("x", logger, level, "step {}: {}", null, new Object[] {"running", "start headnode-vlan100"});
        e.setMDCPropertyMap(mdc);
        return layout.doLayout(e);
    }

    @Test
    void journalLinesCarryPriorityLevelVlanAndMacButNoTimestamp() {
        assertThat(render(JournalLogging.JOURNAL, Level.INFO, Map.of("vlan", "100", "mac", "52:54:00:aa:00:01")))
                .isEqualTo("<6>INFO  Reconciler vlan=100 mac=52:54:00:aa:00:01: step running: start headnode-vlan100\n");
        assertThat(render(JournalLogging.JOURNAL, Level.WARN, Map.of("vlan", "7")))
                .isEqualTo("<4>WARN  Reconciler vlan=7: step running: start headnode-vlan100\n");
        assertThat(render(JournalLogging.JOURNAL, Level.ERROR, Map.of())).startsWith("<3>ERROR Reconciler: ");
        assertThat(render(JournalLogging.JOURNAL, Level.DEBUG, Map.of())).startsWith("<7>DEBUG Reconciler: ");
    }

    @Test
    void interactiveLinesKeepTheirTime() {
        assertThat(render(JournalLogging.INTERACTIVE, Level.WARN, Map.of("vlan", "100")))
                .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} WARN  Reconciler \\[vlan 100] step running: start headnode-vlan100\n");
    }

    @Test
    void theJournalIsStderrOnlyWhenJournalStreamNamesItsDeviceAndInode() {
        assertThat(JournalLogging.isJournal("8:12345", 8, 12345)).isTrue();
        assertThat(JournalLogging.isJournal("8:12345", 8, 999)).as("stderr redirected elsewhere by a child").isFalse();
        assertThat(JournalLogging.isJournal(null, 8, 12345)).isFalse();
        assertThat(JournalLogging.isJournal("junk", 8, 12345)).isFalse();
        assertThat(JournalLogging.isJournal("8:x", 8, 12345)).isFalse();
    }
}
