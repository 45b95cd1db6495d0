package io.headnode.orchestrator.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses 30s, 5m, 1h (or plain seconds) into a positive duration. */
public final class IntervalOption implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9]{1,6})(s|m|h)?").matcher(value.trim());
        if (!m.matches()) {
            throw new TypeConversionException("'" + value + "' is not an interval like 60s, 5m or 1h");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = m.group(2) == null || m.group(2).equals("s") ? Duration.ofSeconds(n)
                : m.group(2).equals("m") ? Duration.ofMinutes(n) : Duration.ofHours(n);
        if (d.isZero()) {
            throw new TypeConversionException("interval must be positive");
        }
        return d;
    }

    /** The shortest way to write {@code d} in this option's form: 1h, 30m, 45s. */
    public static String format(Duration d) {
        long s = d.toSeconds();
        return s % 3600 == 0 && s > 0 ? s / 3600 + "h" : s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
    }
}
