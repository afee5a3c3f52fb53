package io.tsunagu.server.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.TableReader;
import io.questdb.cairo.TableWriter;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.wal.ApplyWal2TableJob;
import io.questdb.cairo.wal.WalWriter;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The series key (issue 3): the table's one index, the reads built on it, and the migration of main's layout. */
class QuestDbSampleStoreSeriesKeyTest {
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    private static final Vin OTHER_CAR = Vin.of("SALGA2EF8DA000003");
    private static final long T0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final String SPEED = "Vehicle.Speed";
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";

    /** The table as every version before the series key created it. */
    private static final String MAIN_LAYOUT = "CREATE TABLE samples"
            + " (ts TIMESTAMP, vin SYMBOL CAPACITY 4096 CACHE INDEX, path SYMBOL CAPACITY 2048 CACHE,"
            + " seq LONG, kind BYTE, num DOUBLE, txt VARCHAR)"
            + " TIMESTAMP(ts) PARTITION BY DAY WAL DEDUP UPSERT KEYS(ts, vin, path, seq)";

    @TempDir
    Path dir;

    @Test
    void aNewTableIndexesOnlyTheSeriesKeyFilledWithVinSlashPath() {
        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir)) {
            appendVisible(store, List.of(num(CAR, T0, SPEED, 1)));
        }

        try (CairoEngine engine = engine()) {
            assertThat(indexedColumns(engine)).containsExactly("series");
            assertThat(seriesValues(engine)).containsExactly(CAR.value() + "/" + SPEED);
        }
    }

    @Test
    void signalsWhosePathsShareAPrefixAndOtherCarsStayApart() {
        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir)) {
            appendVisible(
                    store,
                    List.of(
                            num(CAR, T0, SPEED, 1),
                            num(CAR, T0, SPEED + "Limit", 2),
                            num(OTHER_CAR, T0, SPEED, 3),
                            num(CAR, T0 + 1, SOC, 80)));

            assertThat(store.query(HistoryQuery.raw(CAR, List.of(SPEED), T0, T0 + 10, 10))
                            .points())
                    .containsExactly(point(SPEED, T0, 1));
            assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 10, 10))
                            .points())
                    .containsExactly(point(SPEED, T0, 1), point(SPEED + "Limit", T0, 2), point(SOC, T0 + 1, 80));
            assertThat(store.query(HistoryQuery.downsampled(CAR, List.of(), T0, T0 + 10, 10, Aggregate.MAX, 10))
                            .points())
                    .containsExactly(point(SOC, T0, 80), point(SPEED, T0, 1), point(SPEED + "Limit", T0, 2));
            assertThat(store.latestOfEveryCar(SPEED)).extracting(Sample::vin).containsExactly(OTHER_CAR, CAR);
            assertThat(store.query(HistoryQuery.raw(Vin.of("1HGCM82633A004352"), List.of(), T0, T0 + 10, 10))
                            .points())
                    .isEmpty();
        }
    }

    @Test
    void aCarsAllSignalReadAndTheFleetWideLatestSeeSeriesAddedAfterTheirFirstCall() {
        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir)) {
            appendVisible(store, List.of(num(CAR, T0, SPEED, 1)));
            assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 10, 10))
                            .points())
                    .hasSize(1);
            assertThat(store.latestOfEveryCar(SPEED)).hasSize(1);

            appendVisible(store, List.of(num(CAR, T0 + 1, SOC, 80), num(OTHER_CAR, T0 + 2, SPEED, 5)));

            assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 10, 10))
                            .points())
                    .containsExactly(point(SPEED, T0, 1), point(SOC, T0 + 1, 80));
            assertThat(store.latestOfEveryCar(SPEED))
                    .containsExactly(
                            new Sample(OTHER_CAR, T0 + 2, 7, SPEED, new Num(5)),
                            new Sample(CAR, T0, 7, SPEED, new Num(1)));
        }
    }

    @Test
    void aFleetWideLatestOverMoreCarsThanOneStatementHoldsReturnsEveryCarOnce() {
        List<Sample> samples = new ArrayList<>();
        for (int car = 0; car < 2_500; car++) {
            Vin vin = Vin.of(String.format("WVWZZZ1JZXW%06d", car));
            samples.add(num(vin, T0 + car, SOC, car % 100));
            samples.add(num(vin, T0 + car + 1, SOC, car % 100 + 1));
        }
        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir)) {
            appendVisible(store, samples);

            for (int round = 0; round < 2; round++) {
                List<Sample> latest = store.latestOfEveryCar(SOC);
                assertThat(latest).hasSize(2_500);
                assertThat(latest.get(0))
                        .isEqualTo(new Sample(Vin.of("WVWZZZ1JZXW000000"), T0 + 1, 7, SOC, new Num(1)));
                assertThat(latest.get(2_499))
                        .isEqualTo(new Sample(Vin.of("WVWZZZ1JZXW002499"), T0 + 2_500, 7, SOC, new Num(100)));
            }
        }
    }

    @Test
    void aPathThatWouldBreakOutOfASqlLiteralIsBoundNotInlined() {
        String hostile = "Vehicle.Speed') OR ('1'='1";
        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir)) {
            appendVisible(store, List.of(num(CAR, T0, SPEED, 1), num(OTHER_CAR, T0, hostile, 2)));

            assertThat(store.latestOfEveryCar(hostile))
                    .containsExactly(new Sample(OTHER_CAR, T0, 7, hostile, new Num(2)));
            assertThat(store.latestOfEveryCar(SPEED + "' OR '1'='1")).isEmpty();
            assertThat(store.latest(OTHER_CAR)).extracting(Sample::path).containsExactly(hostile);
            assertThat(store.latest(CAR)).extracting(Sample::path).containsExactly(SPEED);
        }
    }

    @Test
    void aStoreCreatedWithMainsLayoutIsMigratedAndAnswersOldAndNewRows() throws SqlException {
        try (CairoEngine engine = engine()) {
            execute(engine, MAIN_LAYOUT);
            writeOldRow(engine, CAR, T0, SPEED, 1);
            writeOldRow(engine, OTHER_CAR, T0, SOC, 40);
            try (ApplyWal2TableJob apply = new ApplyWal2TableJob(engine, 0)) {
                apply.drain(0); // applied under the old layout
            }
            writeOldRow(engine, CAR, T0 + 1, SOC, 80); // committed, not applied: the old server died here
        }

        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir)) {
            appendVisible(store, List.of(num(CAR, T0 + 2, SPEED, 3), num(OTHER_CAR, T0 + 2, SOC, 41)));

            assertMigratedAnswers(store);
        }
        try (CairoEngine engine = engine()) {
            assertThat(indexedColumns(engine)).containsExactly("series");
            assertThat(seriesValues(engine))
                    .containsExactlyInAnyOrder(
                            CAR.value() + "/" + SPEED, OTHER_CAR.value() + "/" + SOC, CAR.value() + "/" + SOC);
        }
        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir)) { // a second open finds nothing to migrate
            assertMigratedAnswers(store);
        }
    }

    @Test
    void rowsAWriterOfTheOldLayoutAddsToAMigratedTableAreKeyedAtTheNextOpen() {
        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir)) {
            appendVisible(store, List.of(num(CAR, T0, SPEED, 1)));
        }
        try (CairoEngine engine = engine()) {
            writeOldRow(engine, CAR, T0 + 1, SPEED, 2); // e.g. the previous version started again on the data
        }

        try (QuestDbSampleStore store = QuestDbSampleStore.open(dir)) {
            assertThat(store.query(HistoryQuery.raw(CAR, List.of(SPEED), T0, T0 + 10, 10))
                            .points())
                    .containsExactly(point(SPEED, T0, 1), point(SPEED, T0 + 1, 2));
        }
    }

    private static void assertMigratedAnswers(QuestDbSampleStore store) {
        assertThat(store.query(HistoryQuery.raw(CAR, List.of(), T0, T0 + 10, 10))
                        .points())
                .containsExactly(point(SPEED, T0, 1), point(SOC, T0 + 1, 80), point(SPEED, T0 + 2, 3));
        assertThat(store.query(HistoryQuery.downsampled(CAR, List.of(SPEED), T0, T0 + 10, 10, Aggregate.AVG, 10))
                        .points())
                .containsExactly(point(SPEED, T0, 2));
        assertThat(store.latestOfEveryCar(SOC))
                .containsExactly(
                        new Sample(OTHER_CAR, T0 + 2, 7, SOC, new Num(41)),
                        new Sample(CAR, T0 + 1, 7, SOC, new Num(80)));
        assertThat(store.latest(CAR)).extracting(Sample::path).containsExactly(SOC, SPEED);
        Map<Vin, List<Sample>> all = store.latestAll();
        assertThat(all.keySet()).containsExactly(OTHER_CAR, CAR);
        assertThat(all.get(CAR)).extracting(Sample::tsMs).containsExactly(T0 + 1, T0 + 2);
    }

    /** A row as the previous version's writer put it: no series key. */
    private static void writeOldRow(CairoEngine engine, Vin vin, long tsMs, String path, double value) {
        try (WalWriter wal = engine.getWalWriter(engine.verifyTableName("samples"))) {
            TableWriter.Row row = wal.newRow(tsMs * 1000);
            row.putSym(1, vin.value());
            row.putSym(2, path);
            row.putLong(3, 7);
            row.putByte(4, (byte) 0);
            row.putDouble(5, value);
            row.append();
            wal.commit();
        }
    }

    private CairoEngine engine() {
        return new CairoEngine(new DefaultCairoConfiguration(dir.toString()));
    }

    private static void execute(CairoEngine engine, String sql) throws SqlException {
        try (SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1)) {
            context.with(AllowAllSecurityContext.INSTANCE, null);
            engine.execute(sql, context);
        }
    }

    private static List<String> indexedColumns(CairoEngine engine) {
        List<String> indexed = new ArrayList<>();
        try (TableReader reader = engine.getReader(engine.verifyTableName("samples"))) {
            for (int i = 0; i < reader.getMetadata().getColumnCount(); i++) {
                if (reader.getMetadata().isColumnIndexed(i)) {
                    indexed.add(reader.getMetadata().getColumnName(i));
                }
            }
        }
        return indexed;
    }

    private static List<String> seriesValues(CairoEngine engine) {
        List<String> values = new ArrayList<>();
        try (TableReader reader = engine.getReader(engine.verifyTableName("samples"))) {
            var symbols = reader.getSymbolMapReader(reader.getMetadata().getColumnIndex("series"));
            for (int key = 0; key < symbols.getSymbolCount(); key++) {
                values.add(String.valueOf(symbols.valueOf(key)));
            }
        }
        return values;
    }

    private static Sample num(Vin vin, long tsMs, String path, double value) {
        return new Sample(vin, tsMs, 7, path, new Num(value));
    }

    private static HistoryPoint point(String path, long tsMs, double value) {
        return new HistoryPoint(path, tsMs, new Num(value));
    }

    /** Appends and waits until reads see the samples (appends are acknowledged before the table apply). */
    private static void appendVisible(QuestDbSampleStore store, List<Sample> samples) {
        store.appendDurably(samples);
        assertThat(store.awaitVisible(Duration.ofSeconds(30)))
                .as("applied within 30 s")
                .isTrue();
    }
}
