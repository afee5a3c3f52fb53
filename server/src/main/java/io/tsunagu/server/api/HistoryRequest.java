package io.tsunagu.server.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.helidon.common.uri.UriQuery;
import io.helidon.webserver.http.ServerRequest;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.history.Aggregate;
import io.tsunagu.server.history.HistoryPage;
import io.tsunagu.server.history.HistoryQuery;
import io.tsunagu.server.history.SampleStore;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Parses {@code GET /api/v1/vehicles/{vin}/history} parameters into a {@link HistoryQuery} and renders the page.
 *
 * <p>Parameters: {@code signals} (comma-separated VSS paths, repeatable; default all), {@code from} and {@code to}
 * (epoch milliseconds or ISO-8601; default the last hour), {@code step} (e.g. {@code 500ms}, {@code 10s}, {@code 1m},
 * {@code 1h}, {@code 1d} or ISO-8601 {@code PT1M}; absent: raw samples), {@code agg} ({@code min|max|avg|last},
 * default {@code avg}), {@code limit} (1..10000, default 1000) and {@code cursor} (from the previous page).
 */
final class HistoryRequest {
    private static final long DEFAULT_WINDOW_MS = Duration.ofHours(1).toMillis();

    private HistoryRequest() {}

    static ObjectNode run(ServerRequest req, Vin vin, SampleStore history, ObjectMapper mapper, long nowMs) {
        UriQuery q = req.query();
        long to = param(q, "to").map(v -> instant("to", v)).orElse(nowMs);
        long from = param(q, "from").map(v -> instant("from", v)).orElse(to - DEFAULT_WINDOW_MS);
        Optional<Long> step = param(q, "step").map(HistoryRequest::step);
        Aggregate aggregate = param(q, "agg").map(HistoryRequest::aggregate).orElse(Aggregate.AVG);
        int limit = param(q, "limit").map(v -> integer("limit", v)).orElse(1000);
        HistoryQuery query = new HistoryQuery(vin, signals(q), from, to, step, aggregate, limit, param(q, "cursor"));
        HistoryPage page = history.query(query);
        ObjectNode out = mapper.createObjectNode();
        out.put("vin", vin.value());
        out.put("from", from);
        out.put("to", to);
        step.ifPresent(s -> out.put("stepMs", s));
        if (step.isPresent()) {
            out.put("aggregate", aggregate.name().toLowerCase(Locale.ROOT));
        }
        ArrayNode points = out.putArray("points");
        page.points().forEach(p -> {
            ObjectNode point = points.addObject();
            point.put("signal", p.path());
            point.put("ts", p.tsMs());
            point.set("value", JsonValues.of(p.value()));
        });
        page.nextCursor().ifPresentOrElse(c -> out.put("nextCursor", c), () -> out.putNull("nextCursor"));
        return out;
    }

    private static Optional<String> param(UriQuery q, String name) {
        return q.contains(name) ? Optional.of(q.get(name)).filter(v -> !v.isBlank()) : Optional.empty();
    }

    private static List<String> signals(UriQuery q) {
        List<String> paths = new ArrayList<>();
        if (q.contains("signals")) {
            for (String value : q.all("signals")) {
                for (String part : value.split(",")) {
                    if (!part.isBlank()) {
                        paths.add(part.strip());
                    }
                }
            }
        }
        return paths;
    }

    static long instant(String name, String value) {
        try {
            if (value.chars().allMatch(Character::isDigit)) {
                return Long.parseLong(value);
            }
            return Instant.parse(value).toEpochMilli();
        } catch (NumberFormatException | DateTimeParseException | ArithmeticException e) {
            throw ApiException.badRequest(
                    "invalid_query", "'" + name + "' must be epoch milliseconds or ISO-8601, got '" + value + "'");
        }
    }

    static long step(String value) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        try {
            if (v.startsWith("p")) {
                return Duration.parse(value.strip().toUpperCase(Locale.ROOT)).toMillis();
            }
            if (v.endsWith("ms")) {
                return Long.parseLong(v.substring(0, v.length() - 2));
            }
            long unit = switch (v.charAt(v.length() - 1)) {
                case 's' -> 1_000L;
                case 'm' -> 60_000L;
                case 'h' -> 3_600_000L;
                case 'd' -> 86_400_000L;
                default -> 1L;
            };
            String number = unit == 1L ? v : v.substring(0, v.length() - 1);
            return Math.multiplyExact(Long.parseLong(number), unit);
        } catch (NumberFormatException
                | DateTimeParseException
                | StringIndexOutOfBoundsException
                | ArithmeticException e) {
            throw ApiException.badRequest(
                    "invalid_query", "'step' must look like 500ms, 10s, 1m, 1h, 1d or PT1M, got '" + value + "'");
        }
    }

    private static Aggregate aggregate(String value) {
        try {
            return Aggregate.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(
                    "invalid_query", "'agg' must be one of min, max, avg, last; got '" + value + "'");
        }
    }

    private static int integer(String name, String value) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("invalid_query", "'" + name + "' must be an integer, got '" + value + "'");
        }
    }
}
