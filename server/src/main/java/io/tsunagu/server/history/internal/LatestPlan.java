package io.tsunagu.server.history.internal;

import io.questdb.cairo.sql.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * {@code select} with {@code WHERE series IN (...) LATEST ON ts PARTITION BY series} over a list of series keys:
 * one index lookup per series. The keys are SQL literals ({@link SqlLiterals}) in chunks of at most {@value
 * #CHUNK}, so each chunk's statement resolves its symbol keys once, when compiled, and is reused while the
 * fleet's series stay the same (binding the strings instead cost a key lookup per series per call: a third of the
 * fleet-wide latest). A key without a safe literal is bound, one statement per key.
 */
record LatestPlan(int keyCount, String select, List<String> literalSql, List<String> boundKeys) {
    /** Most series of one statement. */
    static final int CHUNK = 1024;

    private static final String LATEST = " LATEST ON ts PARTITION BY series";

    static LatestPlan of(String select, List<String> keys) {
        List<String> sql = new ArrayList<>();
        List<String> bound = new ArrayList<>();
        StringBuilder chunk = new StringBuilder();
        int inChunk = 0;
        for (String key : keys) {
            Optional<String> literal = SqlLiterals.quoted(key);
            if (literal.isEmpty()) {
                bound.add(key);
                continue;
            }
            chunk.append(inChunk == 0 ? select + " WHERE series IN (" : ",").append(literal.get());
            if (++inChunk == CHUNK) {
                sql.add(chunk.append(')').append(LATEST).toString());
                chunk.setLength(0);
                inChunk = 0;
            }
        }
        if (inChunk > 0) {
            sql.add(chunk.append(')').append(LATEST).toString());
        }
        return new LatestPlan(keys.size(), select, List.copyOf(sql), List.copyOf(bound));
    }

    void run(QuestDbReader reader, Consumer<Record> onRow) {
        for (String statement : literalSql) {
            reader.forEach(statement, List.of(), all(onRow));
        }
        for (String key : boundKeys) {
            reader.forEach(select + " WHERE series = $1" + LATEST, List.of(key), all(onRow));
        }
    }

    private static Predicate<Record> all(Consumer<Record> onRow) {
        return row -> {
            onRow.accept(row);
            return true;
        };
    }
}
