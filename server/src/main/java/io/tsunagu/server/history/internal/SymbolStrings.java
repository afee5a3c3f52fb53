package io.tsunagu.server.history.internal;

import io.questdb.cairo.sql.Record;
import io.questdb.std.CharSequenceObjHashMap;
import java.util.ArrayList;
import java.util.List;

/**
 * Java strings of one symbol column, each distinct value copied once per query. Turning the engine's symbol into a
 * {@code String} on every row was the largest cost of a raw page (issue 3 profile: 47 %); a query over one car sees
 * only a few dozen distinct paths. Not thread-safe: one per query and column.
 */
public final class SymbolStrings {
    private final int column;
    private final List<String> byKey = new ArrayList<>();
    private final CharSequenceObjHashMap<String> byText = new CharSequenceObjHashMap<>();

    public SymbolStrings(int column) {
        this.column = column;
    }

    /**
     * The value for a row read straight from the table, where the column's int is the symbol key of the table's symbol
     * map (stable for the table's life, so one query's keys all mean the same text).
     */
    public String byKey(Record row) {
        int key = row.getInt(column);
        if (key < 0) {
            return byText(row); // a null symbol has no key
        }
        while (byKey.size() <= key) {
            byKey.add(null);
        }
        String known = byKey.get(key);
        if (known == null) {
            known = row.getSymA(column).toString();
            byKey.set(key, known);
        }
        return known;
    }

    /** The value for a row of a derived answer (e.g. {@code SAMPLE BY}) whose int need not be a table key. */
    public String byText(Record row) {
        CharSequence text = row.getSymA(column);
        if (text == null) {
            return "";
        }
        String known = byText.get(text);
        if (known == null) {
            known = text.toString();
            byText.put(known, known);
        }
        return known;
    }
}
