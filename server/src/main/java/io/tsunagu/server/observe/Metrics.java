package io.tsunagu.server.observe;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * A registry of counters and gauges, rendered in the Prometheus text exposition format (version 0.0.4). Counters are
 * {@link LongAdder}s so the ingest hot path never contends on them. Thread-safe.
 */
public final class Metrics {
    private final Map<String, Family> families = new ConcurrentHashMap<>();

    private record Family(String help, String type, Map<String, LongAdder> series, Map<String, LongSupplier> gauges) {}

    /** A counter without labels. */
    public LongAdder counter(String name, String help) {
        return counter(name, help, "");
    }

    /**
     * A counter with one label set, e.g. {@code counter("tsunagu_rejected_total", "...", "reason", "unknown_signal")}.
     */
    public LongAdder counter(String name, String help, String labelName, String labelValue) {
        return counter(name, help, labelName + "=\"" + escape(labelValue) + "\"");
    }

    private LongAdder counter(String name, String help, String labels) {
        Family family = families.computeIfAbsent(
                name, n -> new Family(help, "counter", new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
        return family.series().computeIfAbsent(labels, l -> new LongAdder());
    }

    /** A gauge read when {@code /metrics} is scraped. */
    public void gauge(String name, String help, LongSupplier value) {
        Family family = families.computeIfAbsent(
                name, n -> new Family(help, "gauge", new ConcurrentHashMap<>(), new ConcurrentHashMap<>()));
        family.gauges().put("", value);
    }

    /** Current value of a counter series, 0 if it was never incremented ({@code labels} as rendered, or ""). */
    public long value(String name, String labelName, String labelValue) {
        Family family = families.get(name);
        if (family == null) {
            return 0;
        }
        LongAdder adder = family.series().get(labelName + "=\"" + escape(labelValue) + "\"");
        return adder == null ? 0 : adder.sum();
    }

    /** Current value of an unlabelled counter or gauge. */
    public long value(String name) {
        Family family = families.get(name);
        if (family == null) {
            return 0;
        }
        LongAdder adder = family.series().get("");
        if (adder != null) {
            return adder.sum();
        }
        LongSupplier gauge = family.gauges().get("");
        return gauge == null ? 0 : gauge.getAsLong();
    }

    /** The whole registry in Prometheus text format. */
    public String render() {
        StringBuilder out = new StringBuilder(4096);
        new TreeMap<>(families).forEach((name, family) -> {
            out.append("# HELP ").append(name).append(' ').append(family.help()).append('\n');
            out.append("# TYPE ").append(name).append(' ').append(family.type()).append('\n');
            new TreeMap<>(family.series()).forEach((labels, adder) -> line(out, name, labels, adder.sum()));
            new TreeMap<>(family.gauges()).forEach((labels, gauge) -> line(out, name, labels, gauge.getAsLong()));
        });
        return out.toString();
    }

    private static void line(StringBuilder out, String name, String labels, long value) {
        out.append(name);
        if (!labels.isEmpty()) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ').append(value).append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
