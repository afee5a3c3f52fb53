package io.tsunagu.bench.micro;

import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.server.history.QuestDbSampleStore;
import java.nio.file.Path;
import java.util.List;

/** One way of appending samples durably to a history table: Tsunagu's store, or QuestDB's own API as a baseline. */
interface SampleAppender extends AutoCloseable {

    /** Appends the batch as one durable (fsynced) commit. */
    void append(List<Sample> samples);

    @Override
    void close();

    /** The writers compared by {@link HistoryAppendBenchmark}, by their parameter names. */
    enum Kind {
        /**
         * {@link QuestDbSampleStore#appendDurably} as ingest calls it: returns on the fsynced WAL commit of a WAL table
         * with deduplication; the store's apply thread merges commits behind it (appends wait when 256 commits
         * behind).
         */
        TSUNAGU("tsunagu"),
        /** The same store with {@code ackBeforeApply} off: every commit applied (visible) before it returns. */
        TSUNAGU_APPLY_ACK("tsunagu-apply-ack"),
        /** QuestDB's {@code WalWriter} on the same WAL table, then the same apply job: the same work done raw. */
        RAW_WAL("raw-wal"),
        /** QuestDB's {@code TableWriter} on a non-WAL table of the same columns (no dedup): its fastest append. */
        RAW_TABLE("raw-table");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        String label() {
            return label;
        }

        static Kind of(String label) {
            for (Kind kind : values()) {
                if (kind.label.equals(label)) {
                    return kind;
                }
            }
            throw new IllegalArgumentException(
                    "unknown writer '" + label + "' (tsunagu, tsunagu-apply-ack, raw-wal, raw-table)");
        }

        SampleAppender open(Path dir) {
            return switch (this) {
                case TSUNAGU -> new TsunaguAppender(QuestDbSampleStore.open(dir, SignalCatalog.vss6(), true));
                case TSUNAGU_APPLY_ACK ->
                    new TsunaguAppender(QuestDbSampleStore.open(dir, SignalCatalog.vss6(), false));
                case RAW_WAL -> RawQuestDbAppender.open(dir, true);
                case RAW_TABLE -> RawQuestDbAppender.open(dir, false);
            };
        }
    }

    /** Tsunagu's history writer as the ingest pipeline calls it. */
    record TsunaguAppender(QuestDbSampleStore store) implements SampleAppender {
        @Override
        public void append(List<Sample> samples) {
            store.appendDurably(samples);
        }

        @Override
        public void close() {
            store.close();
        }
    }
}
