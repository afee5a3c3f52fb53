package io.tsunagu.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableToken;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.wal.WalWriter;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The apply thread's pause between rounds lets commits gather, but never delays a reader: one waiting for a
 * transaction gets a round at once, however long the pause.
 */
class WalApplierTest {
    /** Far longer than the test may take: an apply that waited it out would fail the test's timeout. */
    private static final long HOUR_MS = Duration.ofHours(1).toMillis();

    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void aWaitingReaderGetsTheCommitAppliedWithoutWaitingOutTheRoundInterval() {
        try (CairoEngine engine = new CairoEngine(new DefaultCairoConfiguration(dir.toString()))) {
            TableToken table = SamplesTable.create(engine);
            try (WalApplier applier = new WalApplier(engine, table, HOUR_MS)) {
                applier.start();
                for (int round = 1; round <= 3; round++) {
                    commitOneRow(engine, table, round);
                    applier.committed();

                    assertThat(applier.awaitApplied(applier.committedTxn(), WITHIN))
                            .isTrue();
                    assertThat(applier.appliedTxn()).isEqualTo(applier.committedTxn());
                }
            }
            assertThat(rows(engine, table)).isEqualTo(3);
        }
    }

    private static void commitOneRow(CairoEngine engine, TableToken table, long seq) {
        try (WalWriter writer = engine.getWalWriter(table)) {
            TableWriter.Row row = writer.newRow(1_000_000L * seq);
            row.putSym(SamplesTable.VIN, "WVWZZZ1JZXW000001");
            row.putSym(SamplesTable.PATH, "Vehicle.Speed");
            row.putSym(SamplesTable.SERIES, "WVWZZZ1JZXW000001/Vehicle.Speed");
            row.putLong(SamplesTable.SEQ, seq);
            row.append();
            writer.commit();
        }
    }

    private static long rows(CairoEngine engine, TableToken table) {
        try (var reader = engine.getReader(table)) {
            return reader.size();
        }
    }
}
