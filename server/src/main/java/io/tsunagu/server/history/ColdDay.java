package io.tsunagu.server.history;

/**
 * A day partition of history converted to Parquet by {@link QuestDbSampleStore#convertColdDays}.
 *
 * @param day the UTC day, {@code 2026-01-01}
 * @param rows samples in the day
 * @param nativeBytes bytes on disk before, in QuestDB's native column files
 * @param parquetBytes bytes on disk after: the Parquet file plus the {@code vin} index QuestDB keeps beside it
 */
public record ColdDay(String day, long rows, long nativeBytes, long parquetBytes) {}
