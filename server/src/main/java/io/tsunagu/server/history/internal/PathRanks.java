package io.tsunagu.server.history.internal;

import io.questdb.cairo.sql.SymbolTable;
import java.util.Arrays;

/**
 * The text of the {@code path} symbol keys one query meets, and each key's rank in the string order of those texts, so
 * rows of one time sort by comparing ints. A symbol key means the same text for the table's life; a query over one car
 * meets a few dozen keys, and each new one re-ranks them all. A null symbol (no key) is the empty path, first. Not
 * thread-safe: one per query.
 */
final class PathRanks {
    private final SymbolTable symbols;
    private String[] names = new String[64];
    private int[] ranks = new int[64];
    private int[] sortedKeys = new int[16];
    private int known;

    PathRanks(SymbolTable symbols) {
        this.symbols = symbols;
    }

    /** The rank of {@code key} among the keys met so far; only the order of ranks is meaningful. */
    int rank(int key) {
        if (key < 0) {
            return -1;
        }
        if (key >= names.length || names[key] == null) {
            learn(key);
        }
        return ranks[key];
    }

    /** How many keys were met so far: a change means the ranks handed out before may have changed. */
    int known() {
        return known;
    }

    /** The path text of {@code key}. */
    String name(int key) {
        if (key < 0) {
            return "";
        }
        if (key >= names.length || names[key] == null) {
            learn(key);
        }
        return names[key];
    }

    private void learn(int key) {
        if (key >= names.length) {
            int capacity = Math.max(names.length * 2, key + 1);
            names = Arrays.copyOf(names, capacity);
            ranks = Arrays.copyOf(ranks, capacity);
        }
        CharSequence text = symbols.valueOf(key);
        String name = text == null ? "" : text.toString();
        names[key] = name;
        if (known == sortedKeys.length) {
            sortedKeys = Arrays.copyOf(sortedKeys, known * 2);
        }
        int at = known;
        while (at > 0 && names[sortedKeys[at - 1]].compareTo(name) > 0) {
            sortedKeys[at] = sortedKeys[at - 1];
            at--;
        }
        sortedKeys[at] = key;
        known++;
        for (int i = at; i < known; i++) {
            ranks[sortedKeys[i]] = i;
        }
    }
}
