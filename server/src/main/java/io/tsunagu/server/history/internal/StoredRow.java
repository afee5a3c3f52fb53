package io.tsunagu.server.history.internal;

import org.jspecify.annotations.Nullable;

/**
 * One stored sample in the table's columns: the unit the cold archive moves between the native table and its Parquet
 * files. {@code series} is {@link SamplesTable#series}; {@code kind}, {@code num} and {@code txt} are {@link
 * ValueColumns}' three columns (num NaN when the value lives in txt).
 *
 * @param tsMs sample time, epoch milliseconds UTC
 * @param series {@code vin + '/' + path}
 * @param seq the sample's sequence number
 * @param kind the value's type tag
 * @param num the double column
 * @param txt the text column, null for numbers and booleans
 */
public record StoredRow(
        long tsMs,
        String series,
        long seq,
        byte kind,
        double num,
        @Nullable String txt) {

    /** The path part of {@link #series}. */
    public String path() {
        return series.substring(series.indexOf(SamplesTable.SEPARATOR) + 1);
    }

    /** Orders by (time, series, seq): the order of a history answer for one car. */
    public int compareByTime(StoredRow other) {
        int byTime = Long.compare(tsMs, other.tsMs);
        if (byTime != 0) {
            return byTime;
        }
        int bySeries = series.compareTo(other.series);
        return bySeries != 0 ? bySeries : Long.compare(seq, other.seq);
    }
}
