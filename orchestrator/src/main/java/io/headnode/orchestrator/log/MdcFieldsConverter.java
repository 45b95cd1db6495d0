package io.headnode.orchestrator.log;

import ch.qos.logback.classic.pattern.ClassicConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.util.List;
import java.util.Map;

/** {@code %mdcFields}: " vlan=100 mac=02:.." for the MDC keys that are set, nothing for those that are not. */
public final class MdcFieldsConverter extends ClassicConverter {
    private static final List<String> KEYS = List.of("vlan", "mac");

    @Override
    public String convert(ILoggingEvent event) {
        Map<String, String> mdc = event.getMDCPropertyMap();
        StringBuilder b = new StringBuilder();
        for (String k : KEYS) {
            String v = mdc.get(k);
            if (v != null && !v.isEmpty()) {
                b.append(' ').append(k).append('=').append(v);
            }
        }
        return b.toString();
    }
}
