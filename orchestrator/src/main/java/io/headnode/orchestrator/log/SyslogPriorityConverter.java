package io.headnode.orchestrator.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/** {@code %syslogPriority}: the sd-daemon(3) prefix journald reads as the priority: {@code <3>} error ... {@code <7>} debug. */
public final class SyslogPriorityConverter extends ClassicConverter {
    @Override
    public String convert(ILoggingEvent event) {
        int level = event.getLevel().toInt();
        int priority = level >= Level.ERROR_INT ? 3 : level >= Level.WARN_INT ? 4 : level >= Level.INFO_INT ? 6 : 7;
        return "<" + priority + ">";
    }
}
