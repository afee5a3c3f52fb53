package io.tsunagu.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableReader;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.wal.WalWriter;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pooled QuestDB WAL writer keeps the symbol counts the table had when it was created; the renewal notices when the
 * table knows more series than the writer and replaces it, so the next writer finds them in the table's map.
 */
class WalWriterRenewalTest {
    private static final long INTERVAL_MS = 5_000;
    private static final long INTERVAL_NANOS = INTERVAL_MS * 1_000_000;

    @TempDir
    Path dir;

    @Test
    void aWriterCreatedBeforeTheTableLearnedItsSeriesIsRenewedAndTheNextOneKnowsThem() {
        AtomicLong clock = new AtomicLong();
        try (CairoEngine engine = new CairoEngine(new DefaultCairoConfiguration(dir.toString()))) {
            TableToken table = SamplesTable.create(engine);
            WalWriterRenewal renewal = new WalWriterRenewal(engine, table, INTERVAL_MS, clock::get);
            try (WalApplier applier = new WalApplier(engine, table, 0)) {
                try (WalWriter writer = engine.getWalWriter(table)) {
                    commitRows(writer, 0, 30);
                    assertThat(renewal.due(writer)).as("before the interval").isFalse();
                }
                applier.applyAll();
                clock.addAndGet(INTERVAL_NANOS);
                try (WalWriter writer = engine.getWalWriter(table)) {
                    commitRows(writer, 30, 10);
                    assertThat(writer.getSymbolCountWatermark(SamplesTable.SERIES))
                            .as("the pooled writer still has the empty table's snapshot")
                            .isZero();
                    assertThat(renewal.due(writer)).isTrue();
                }
                renewal.renew();
                applier.applyAll();
                clock.addAndGet(INTERVAL_NANOS);
                try (WalWriter writer = engine.getWalWriter(table)) {
                    assertThat(writer.getSymbolCountWatermark(SamplesTable.SERIES))
                            .isEqualTo(seriesCount(engine, table))
                            .isEqualTo(40);
                    commitRows(writer, 0, 30); // known series only
                    assertThat(renewal.due(writer)).as("nothing new to learn").isFalse();
                }
                applier.applyAll();
            }
            assertThat(renewal.renewals()).isOne();
            try (TableReader reader = engine.getReader(table)) {
                assertThat(reader.size())
                        .as("the re-sent rows of the renewed writer are de-duplicated")
                        .isEqualTo(40);
            }
        }
    }

    /** One row for each of {@code count} series from {@code first}, all at the same time and seq. */
    private static void commitRows(WalWriter writer, int first, int count) {
        for (int i = first; i < first + count; i++) {
            String path = "Vehicle.Probe.Signal" + i;
            TableWriter.Row row = writer.newRow(1_000_000L);
            row.putSym(SamplesTable.VIN, "WVWZZZ1JZXW000001");
            row.putSym(SamplesTable.PATH, path);
            row.putSym(SamplesTable.SERIES, "WVWZZZ1JZXW000001/" + path);
            row.putLong(SamplesTable.SEQ, 1);
            row.putDouble(SamplesTable.NUM, i);
            row.append();
        }
        writer.commit();
    }

    private static int seriesCount(CairoEngine engine, TableToken table) {
        try (TableReader reader = engine.getReader(table)) {
            return reader.getSymbolMapReader(SamplesTable.SERIES).getSymbolCount();
        }
    }
}
