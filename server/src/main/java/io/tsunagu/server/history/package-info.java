/**
 * Telemetry history: every accepted {@link io.tsunagu.protocol.telemetry.Sample} stored durably as a time series, read
 * back raw or downsampled in pages, plus the latest value per signal for rebuilding the twin and day-wise retention.
 * {@link io.tsunagu.server.history.SampleStore} is the engine-neutral contract; {@link
 * io.tsunagu.server.history.QuestDbSampleStore} is the embedded implementation; {@link
 * io.tsunagu.server.history.ArchivedSampleStore} puts the opt-in cold archive (one sorted Parquet file per closed day)
 * in front of it.
 */
@NullMarked
package io.tsunagu.server.history;

import org.jspecify.annotations.NullMarked;
