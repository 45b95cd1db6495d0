package io.headnode.orchestrator.log;

import ch.qos.logback.core.PropertyDefinerBase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Chooses the log format (logback.xml {@code <define>}s): when stderr is systemd's journal ({@code $JOURNAL_STREAM}
 * names stderr's device and inode, as sd_journal_stream_fd(3) says to check), lines carry a syslog priority prefix
 * ({@code <6>}, which journald turns into the entry's PRIORITY), the level, the logger, the VLAN and MAC from the MDC
 * and the message, but no timestamp (journald has one), and the default level is INFO. Anywhere else, the CLI's
 * interactive format and WARN, as before.
 */
public final class JournalLogging {
    public static final String INTERACTIVE = "%d{HH:mm:ss.SSS} %-5level %logger{0} [vlan %X{vlan:--}] %msg%n";
    public static final String JOURNAL = "%syslogPriority%-5level %logger{0}%mdcFields: %msg%n";

    private JournalLogging() {
    }

    /** Whether {@code journalStream} ("DEV:INO" from the environment) is the file stderr is (dev and ino given). */
    static boolean isJournal(String journalStream, long stderrDev, long stderrIno) {
        if (journalStream == null) {
            return false;
        }
        String[] f = journalStream.strip().split(":");
        try {
            return f.length == 2 && Long.parseLong(f[0]) == stderrDev && Long.parseLong(f[1]) == stderrIno;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Whether this process's stderr is the journal. */
    static boolean stderrIsJournal() {
        String js = System.getenv("JOURNAL_STREAM");
        if (js == null) {
            return false;
        }
        return stat(Path.of("/proc/self/fd/2")).map(di -> isJournal(js, di[0], di[1])).orElse(false);
    }

    private static Optional<long[]> stat(Path p) {
        try {
            return Optional.of(new long[] {((Number) Files.getAttribute(p, "unix:dev")).longValue(),
                ((Number) Files.getAttribute(p, "unix:ino")).longValue()});
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /** {@code <define name="HEADNODE_LOG_PATTERN">}. */
    public static final class Pattern extends PropertyDefinerBase {
        @Override
        public String getPropertyValue() {
            return stderrIsJournal() ? JOURNAL : INTERACTIVE;
        }
    }

    /** {@code <define name="HEADNODE_DEFAULT_LEVEL">}: INFO in the journal (the service), WARN for people. */
    public static final class DefaultLevel extends PropertyDefinerBase {
        @Override
        public String getPropertyValue() {
            return stderrIsJournal() ? "INFO" : "WARN";
        }
    }
}
