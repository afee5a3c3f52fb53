package io.tsunagu.server.history;

/**
 * A day partition of history converted to Parquet by {@link QuestDbSampleStore#convertColdDays}, or moved to the cold
 * archive by {@link ArchivedSampleStore#archiveColdDays}.
 *
 * @param day the UTC day, {@code 2026-01-01}
 * @param rows samples in the day
 * @param nativeBytes bytes on disk before, in QuestDB's native column files; -1 from the archive (not measured)
 * @param parquetBytes bytes on disk after: the Parquet file plus the index QuestDB keeps beside it; for the archive, the
 *     day's file
 */
public record ColdDay(String day, long rows, long nativeBytes, long parquetBytes) {}
