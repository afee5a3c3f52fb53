package io.tsunagu.bench.micro;

/**
 * CPU time per query on one day of history, in QuestDB's native format and after the day went cold (converted to
 * Parquet in place, or moved to the archive).
 *
 * @param cold how it went cold: {@code Parquet} or {@code archive}
 * @param nativeDay before
 * @param parquetDay the same queries after
 */
public record ColdQueryCost(String cold, Side nativeDay, Side parquetDay) {
    /**
     * @param rawCarMicros CPU µs to read one car's whole day raw (all its signals, every page)
     * @param rawCarHourMicros CPU µs to read one car's first hour of the data set raw (all its signals, every page)
     * @param downsampledMicros CPU µs to downsample one series of that car to 1-minute averages
     * @param latestMicros CPU µs for the latest value of one signal of every car
     */
    public record Side(double rawCarMicros, double rawCarHourMicros, double downsampledMicros, double latestMicros) {}
}
