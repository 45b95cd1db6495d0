package io.headnode.power.batch;

import io.headnode.power.PowerOutcome;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders batch results as a fixed-width table with a closing count per outcome kind. */
public final class SummaryTable {
    private SummaryTable() {
    }

    public static String render(String operation, List<PowerBatch.Result> results) {
        StringBuilder b = new StringBuilder();
        int bmcWidth = Math.max(3, results.stream().mapToInt(r -> r.machine().bmc().toString().length()).max().orElse(3));
        String fmt = "%-17s  %-" + bmcWidth + "s  %-10s  %-7s  %7s  %s%n";
        b.append(String.format(Locale.ROOT, fmt, "MAC", "BMC", "OUTCOME", "POWER", "SECONDS", "DETAIL"));
        Map<PowerOutcome.Kind, Integer> counts = new EnumMap<>(PowerOutcome.Kind.class);
        for (PowerBatch.Result r : results) {
            counts.merge(r.outcome().kind(), 1, Integer::sum);
            b.append(String.format(Locale.ROOT, fmt, r.machine().mac(), r.machine().bmc(), r.outcome().kind().name().toLowerCase(Locale.ROOT),
                    r.outcome().state().name().toLowerCase(Locale.ROOT), String.format(Locale.ROOT, "%.2f", r.took().toMillis() / 1000.0),
                    r.outcome().detail()));
        }
        long failed = results.stream().filter(r -> !r.outcome().succeeded()).count();
        b.append(operation).append(": ").append(results.size()).append(" node(s), ").append(failed).append(" failed");
        counts.forEach((k, v) -> b.append(", ").append(k.name().toLowerCase(Locale.ROOT)).append(' ').append(v));
        b.append('\n');
        return b.toString();
    }
}
