package io.tsunagu.server.history.internal;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.TableReader;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.sql.StaticSymbolTable;
import io.questdb.cairo.sql.SymbolTable;
import io.tsunagu.protocol.Vin;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which series (car, signal) the table holds, read from the {@code series} symbol map: the keys of a car's all-signal
 * range ({@code series IN (...)}) and of a signal's fleet-wide latest values. A symbol map only grows and its keys are
 * stable for the table's life, so each call reads only the symbols added since the last one (nothing, once the fleet's
 * series are known). A series whose rows retention dropped stays listed; asking for it finds no row. Thread-safe.
 */
public final class SeriesDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(SeriesDirectory.class);
    private static final int VIN_LENGTH = 17;

    private final CairoEngine engine;
    private final TableToken table;
    private final Map<Vin, List<String>> pathsByCar = new HashMap<>();
    /** Each car's series symbol keys, in the order of {@link #pathsByCar}. */
    private final Map<Vin, int[]> keysByCar = new HashMap<>();

    private final Map<String, List<Vin>> carsByPath = new HashMap<>();
    private final Map<String, String> paths = new HashMap<>();
    private int knownSymbols;

    public SeriesDirectory(CairoEngine engine, TableToken table) {
        this.engine = engine;
        this.table = table;
    }

    /** The paths {@code vin} ever reported, in first-stored order; empty for an unknown car. */
    public synchronized List<String> pathsOf(Vin vin) {
        refresh();
        return List.copyOf(pathsByCar.getOrDefault(vin, List.of()));
    }

    /** The cars that ever reported {@code path}, in first-stored order. */
    public synchronized List<Vin> carsWith(String path) {
        refresh();
        return List.copyOf(carsByPath.getOrDefault(path, List.of()));
    }

    /**
     * The {@code series} symbol keys of {@code vin}'s series, read from {@code symbols} (the series column's symbol
     * table of a cursor already open, so no table reader is opened here and the keys are those of that cursor's table
     * state); empty for an unknown car.
     */
    public synchronized int[] keysOf(Vin vin, StaticSymbolTable symbols) {
        refresh(symbols, symbols.getSymbolCount());
        return keysByCar.getOrDefault(vin, new int[0]).clone();
    }

    private void refresh() {
        try (TableReader reader = engine.getReader(table)) {
            refresh(
                    reader.getSymbolTable(SamplesTable.SERIES),
                    reader.getSymbolMapReader(SamplesTable.SERIES).getSymbolCount());
        }
    }

    private void refresh(SymbolTable symbols, int count) {
        for (int key = knownSymbols; key < count; key++) {
            CharSequence series = symbols.valueOf(key);
            if (series != null) {
                add(key, series.toString());
            }
        }
        knownSymbols = Math.max(knownSymbols, count);
    }

    private void add(int key, String series) {
        if (series.length() <= VIN_LENGTH + 1
                || series.charAt(VIN_LENGTH) != SamplesTable.SEPARATOR
                || !Vin.isValid(series.substring(0, VIN_LENGTH))) {
            LOG.warn("history series key {} is not VIN/path; ignored", series);
            return;
        }
        Vin vin = Vin.of(series.substring(0, VIN_LENGTH));
        String path = paths.computeIfAbsent(series.substring(VIN_LENGTH + 1), p -> p); // one string per path
        carsByPath.computeIfAbsent(path, p -> new ArrayList<>()).add(vin);
        pathsByCar.computeIfAbsent(vin, v -> new ArrayList<>()).add(path);
        int[] keys = keysByCar.getOrDefault(vin, new int[0]);
        int[] grown = Arrays.copyOf(keys, keys.length + 1);
        grown[keys.length] = key;
        keysByCar.put(vin, grown);
    }
}
