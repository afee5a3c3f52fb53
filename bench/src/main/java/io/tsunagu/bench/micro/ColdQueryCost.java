package io.tsunagu.bench.micro;

/**
 * CPU time per query on one day of history, in QuestDB's native format and after the day was converted to Parquet.
 *
 * @param nativeDay before the conversion
 * @param parquetDay the same queries after it
 */
public record ColdQueryCost(Side nativeDay, Side parquetDay) {
    /**
     * @param rawCarMicros CPU µs to read one car's whole day raw (all its signals, every page)
     * @param downsampledMicros CPU µs to downsample one series of that car to 1-minute averages
     * @param latestMicros CPU µs for the latest value of one signal of every car
     */
    public record Side(double rawCarMicros, double downsampledMicros, double latestMicros) {}
}
