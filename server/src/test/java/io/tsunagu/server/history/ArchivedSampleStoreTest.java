package io.tsunagu.server.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.telemetry.SignalValue.Num;
import io.tsunagu.protocol.vss.SignalCatalog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cold archive on a real store, exported in bulk (QuestDB's Parquet encoder, then DuckDB): every query kind answers
 * as a plain native store holding the same appends (the reference), after export and drop, with late data, after a
 * crash between export and drop or in the middle of the export, after a restart, with a bad day file, with every value
 * kind, and for a day QuestDB converted to Parquet in place.
 */
class ArchivedSampleStoreTest {
    private static final long DAY_MS = 86_400_000L;
    private static final long D0 = Instant.parse("2026-03-01T00:00:00Z").toEpochMilli();
    private static final Instant NOW = Instant.ofEpochMilli(D0 + 3 * DAY_MS + DAY_MS / 2);
    private static final Duration AFTER = Duration.ofDays(1);
    private static final Vin CAR = Vin.of("WVWZZZ1JZXW000001");
    private static final Vin OTHER_CAR = Vin.of("SALGA2EF8DA000003");
    /** Reports only on the first day, so its latest values come from an archived day. */
    private static final Vin OLD_CAR = Vin.of("1HGCM82633A004352");

    private static final List<Vin> CARS = List.of(CAR, OTHER_CAR, OLD_CAR);
    private static final String SPEED = "Vehicle.Speed";
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";
    private static final String GEAR = "Vehicle.Powertrain.Transmission.SelectedGear";
    private static final String STATE = "Vehicle.Cabin.Infotainment.Media.Played.Source";
    private static final List<String> PATHS = List.of(SPEED, SOC, GEAR, STATE);
    private static final int POINTS_PER_DAY = 600;

    @TempDir
    Path dir;

    private ArchivedSampleStore store;
    private QuestDbSampleStore reference;

    @BeforeEach
    void open() {
        store = openArchived(() -> {});
        reference = QuestDbSampleStore.open(dir.resolve("reference"));
        appendVisible(fourDays());
    }

    @AfterEach
    void close() {
        store.close();
        reference.close();
    }

    @Test
    void archivesTheClosedDaysOlderThanTheThresholdAndDropsTheirPartitions() {
        List<ColdDay> archived = store.archiveColdDays(AFTER, NOW);

        assertThat(archived).extracting(ColdDay::day).containsExactly("2026-03-01", "2026-03-02");
        assertThat(archived).allSatisfy(day -> assertThat(day.rows()).isPositive());
        assertThat(store.archivedDays()).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("archive/2026-03-01.parquet"))).isTrue();
        assertThat(nativeRows(0)).as("partition dropped").isEmpty();
        assertThat(nativeRows(2)).as("a newer day stays native").isNotEmpty();
        assertThat(store.archiveColdDays(AFTER, NOW))
                .as("a second run finds nothing")
                .isEmpty();
    }

    @Test
    void everyQueryKindAnswersTheSameAsBeforeTheExport() {
        List<Object> before = everyAnswer(store);

        store.archiveColdDays(AFTER, NOW);

        assertThat(everyAnswer(store)).containsExactlyElementsOf(before);
        assertThat(before).isEqualTo(everyAnswer(reference));
    }

    @Test
    void lateAndResentSamplesForAnArchivedDayAreMergedAtReadAndIntoTheNextExport() {
        store.archiveColdDays(AFTER, NOW);
        Sample late = new Sample(CAR, D0 + 1234, 900_001, SPEED, new Num(77.5));
        Sample lateOldCar = new Sample(OLD_CAR, D0 + DAY_MS - 1, 900_002, SOC, new Num(12.5));
        Sample resent = fourDays().getFirst(); // a car re-sending a batch already archived

        appendVisible(List.of(late, lateOldCar, resent));

        assertThat(rawDay(store, CAR, 0)).contains(new HistoryPoint(SPEED, D0 + 1234, new Num(77.5)));
        assertThat(everyAnswer(store)).containsExactlyElementsOf(everyAnswer(reference));
        assertThat(store.latest(OLD_CAR)).contains(lateOldCar);

        assertThat(store.archiveColdDays(AFTER, NOW)).extracting(ColdDay::day).containsExactly("2026-03-01");
        assertThat(nativeRows(0)).isEmpty();
        assertThat(everyAnswer(store)).containsExactlyElementsOf(everyAnswer(reference));
        assertThat(rowsOutOfOrder("2026-03-01"))
                .as("the merged file is sorted by (series, ts, seq)")
                .isZero();
    }

    @Test
    void aCrashBetweenExportAndDropNeitherLosesNorDuplicatesAndTheNextRunFinishes() {
        store.close();
        store = openArchived(() -> {
            throw new IllegalStateException("simulated crash after the day file is durable");
        });
        List<ColdDay> archived = store.archiveColdDays(AFTER, NOW);
        assertThat(archived).as("every day failed before its drop").isEmpty();
        assertThat(Files.exists(dir.resolve("archive/2026-03-01.parquet"))).isTrue();
        assertThat(nativeRows(0)).as("the partition is still there").isNotEmpty();
        store.close();

        store = openArchived(() -> {});

        assertThat(everyAnswer(store))
                .as("day in both places, read once")
                .containsExactlyElementsOf(everyAnswer(reference));
        assertThat(store.archiveColdDays(AFTER, NOW))
                .extracting(ColdDay::day)
                .containsExactly("2026-03-01", "2026-03-02");
        assertThat(nativeRows(0)).isEmpty();
        assertThat(everyAnswer(store)).containsExactlyElementsOf(everyAnswer(reference));
    }

    @Test
    void aLateSampleArrivingDuringTheExportKeepsTheDayInTheTableUntilTheNextRun() {
        store.close();
        Sample late = new Sample(CAR, D0 + 4321, 900_003, SPEED, new Num(55.5));
        boolean[] sent = {false};
        store = openArchived(() -> {
            if (!sent[0]) { // ingest goes on during an export: a car offline since that day comes back
                sent[0] = true;
                appendVisible(List.of(late));
            }
        });

        assertThat(store.archiveColdDays(AFTER, NOW)).extracting(ColdDay::day).containsExactly("2026-03-02");

        assertThat(nativeRows(0)).as("day kept in the table").contains(nativeRowOf(late));
        assertThat(everyAnswer(store)).containsExactlyElementsOf(everyAnswer(reference));
        assertThat(store.archiveColdDays(AFTER, NOW)).extracting(ColdDay::day).containsExactly("2026-03-01");
        assertThat(nativeRows(0)).isEmpty();
        assertThat(everyAnswer(store)).containsExactlyElementsOf(everyAnswer(reference));
    }

    @Test
    void aRestartKeepsTheArchiveAndItsAnswers() throws IOException {
        store.archiveColdDays(AFTER, NOW);
        store.close();
        Files.writeString(dir.resolve("archive/2026-03-02.parquet.tmp"), "an export cut short by a crash");
        Files.delete(dir.resolve("archive/2026-03-02.latest.parquet")); // crash between the two renames

        store = openArchived(() -> {});

        assertThat(store.archivedDays()).isEqualTo(2);
        assertThat(Files.exists(dir.resolve("archive/2026-03-02.parquet.tmp"))).isFalse();
        assertThat(everyAnswer(store)).containsExactlyElementsOf(everyAnswer(reference));
    }

    @Test
    void aBadDayFileFailsOnlyTheQueriesOfThatDayWithAClearErrorAndIsCounted() throws IOException {
        store.archiveColdDays(AFTER, NOW);
        store.close();
        Files.write(dir.resolve("archive/2026-03-01.parquet"), new byte[] {'P', 'A', 'R', '1', 0, 1, 2, 3});

        store = openArchived(() -> {});

        assertThat(store.badArchiveDays()).isEqualTo(1);
        assertThatThrownBy(() -> rawDay(store, CAR, 0))
                .isInstanceOf(TsunaguException.class)
                .hasMessageContaining("2026-03-01")
                .satisfies(e -> assertThat(((TsunaguException) e).code()).isEqualTo("history_archive_unreadable"));
        assertThat(rawDay(store, CAR, 1)).as("another archived day").isEqualTo(rawDay(reference, CAR, 1));
        assertThat(rawDay(store, CAR, 3)).as("a native day").isEqualTo(rawDay(reference, CAR, 3));
        assertThat(store.latest(CAR)).isEqualTo(reference.latest(CAR));
        assertThat(store.archiveColdDays(AFTER, NOW))
                .as("nothing is written over a bad file")
                .isEmpty();
    }

    @Test
    void retentionDeletesArchivedDaysToo() {
        store.archiveColdDays(AFTER, NOW);

        assertThat(store.retain(Duration.ofDays(1), NOW)).isEqualTo(2);

        assertThat(store.archivedDays()).isZero();
        assertThat(rawDay(store, CAR, 0)).isEmpty();
        assertThat(store.latest(OLD_CAR)).isEmpty();
        assertThat(rawDay(store, CAR, 2)).isNotEmpty();
    }

    @Test
    void readsWhileDaysMoveToTheArchiveAlwaysSeeEveryRowOfThoseDays() throws InterruptedException {
        List<List<HistoryPoint>> expected = List.of(rawDay(reference, CAR, 0), rawDay(reference, CAR, 1));
        AtomicBoolean archiving = new AtomicBoolean(true);
        List<String> wrong = new CopyOnWriteArrayList<>();
        AtomicInteger reads = new AtomicInteger();
        Thread reader = Thread.ofPlatform().start(() -> {
            while (archiving.get()) {
                for (int day = 0; day < 2; day++) {
                    List<HistoryPoint> seen = rawDay(store, CAR, day);
                    if (!seen.equals(expected.get(day))) {
                        wrong.add("day " + day + ": " + seen.size() + " of "
                                + expected.get(day).size() + " points");
                    }
                }
                reads.incrementAndGet();
            }
        });

        try {
            assertThat(store.archiveColdDays(AFTER, NOW)).hasSize(2);
        } finally {
            archiving.set(false);
            reader.join();
        }

        assertThat(reads).as("the reader ran during the archiving").hasPositiveValue();
        assertThat(wrong).isEmpty();
        assertThat(rawDay(store, CAR, 0)).isEqualTo(expected.get(0));
    }

    @Test
    void everyValueKindAndSamplesWithoutASequenceNumberComeBackExactlyAfterTheBulkExport() {
        long t = D0 + 3_600_000;
        List<Sample> odd = List.of(
                new Sample(CAR, t, Sample.NO_SEQ, "Vehicle.IsMoving", SignalValue.of(true)),
                new Sample(CAR, t + 1, Sample.NO_SEQ, "Vehicle.IsMoving", SignalValue.of(false)),
                new Sample(CAR, t, 800_001, STATE, SignalValue.of("Zürich – 東京 ✓ 'quoted'")),
                new Sample(CAR, t + 2, 800_002, STATE, SignalValue.of("")),
                new Sample(CAR, t, 800_003, "Vehicle.Cabin.Infotainment.Media.Played.Album", textList()),
                new Sample(CAR, t, 800_004, "Vehicle.Cabin.SeatPosCount", numList()),
                new Sample(CAR, t, 800_005, "Vehicle.TraveledDistance", new Num(-0.0)),
                new Sample(CAR, t + 1, 800_006, "Vehicle.TraveledDistance", new Num(Double.MAX_VALUE)),
                new Sample(CAR, t + 2, 800_007, "Vehicle.TraveledDistance", new Num(4.9e-324)),
                new Sample(OLD_CAR, D0 + DAY_MS - 5, Sample.NO_SEQ, SOC, new Num(42.25)));
        appendVisible(odd);
        List<Object> before = everyAnswer(store);

        assertThat(store.archiveColdDays(AFTER, NOW)).hasSize(2);

        assertThat(nativeRows(0)).isEmpty();
        assertThat(everyAnswer(store)).containsExactlyElementsOf(before);
        assertThat(before).isEqualTo(everyAnswer(reference));
        assertThat(store.latest(OLD_CAR))
                .as("no sequence number survives as such")
                .contains(odd.getLast());
        assertThat(rawDay(store, CAR, 0))
                .contains(
                        new HistoryPoint(STATE, t + 2, SignalValue.of("")),
                        new HistoryPoint("Vehicle.TraveledDistance", t, new Num(-0.0)),
                        new HistoryPoint("Vehicle.IsMoving", t + 1, SignalValue.of(false)));
    }

    @Test
    void aDayQuestDbConvertedToParquetInPlaceIsArchivedFromItsOwnFile() {
        List<ColdDay> converted = store.hot().convertColdDays(AFTER, NOW);
        assertThat(converted).extracting(ColdDay::day).containsExactly("2026-03-01", "2026-03-02");
        assertThat(store.hot().coldDays()).isEqualTo(2);
        List<Object> before = everyAnswer(store);

        assertThat(store.archiveColdDays(AFTER, NOW))
                .extracting(ColdDay::day)
                .containsExactly("2026-03-01", "2026-03-02");

        assertThat(store.hot().coldDays()).as("both partitions dropped").isZero();
        assertThat(nativeRows(0)).isEmpty();
        assertThat(everyAnswer(store)).containsExactlyElementsOf(before);
        assertThat(before).isEqualTo(everyAnswer(reference));
    }

    @Test
    void aFailureInTheMiddleOfTheBulkExportLeavesNothingHalfDoneAndTheNextRunFinishes() throws IOException {
        store.close();
        List<String> snapshotFiles = new ArrayList<>();
        store = openArchived(
                () -> {
                    snapshotFiles.addAll(archiveFiles());
                    throw new IllegalStateException("simulated crash after QuestDB encoded the day");
                },
                () -> {});

        assertThat(store.archiveColdDays(AFTER, NOW)).as("both days failed").isEmpty();

        assertThat(snapshotFiles)
                .as("the day's snapshot was encoded into a temp file")
                .anyMatch(name -> name.matches("2026-03-0[12]\\.export-0\\.parquet\\.tmp"));
        assertThat(archiveFiles()).as("no file, temp or final, is left").isEmpty();
        assertThat(nativeRows(0)).as("the partition is still there").isNotEmpty();
        assertThat(everyAnswer(store)).containsExactlyElementsOf(everyAnswer(reference));
        store.close();
        Files.writeString(dir.resolve("archive/2026-03-01.export-0.parquet.tmp"), "what a kill -9 would leave");

        store = openArchived(() -> {});

        assertThat(archiveFiles()).isEmpty();
        assertThat(store.archiveColdDays(AFTER, NOW))
                .extracting(ColdDay::day)
                .containsExactly("2026-03-01", "2026-03-02");
        assertThat(nativeRows(0)).isEmpty();
        assertThat(everyAnswer(store)).containsExactlyElementsOf(everyAnswer(reference));
    }

    /** Rows of a day file whose position differs from their place in (series, ts_ms, seq) order. */
    private long rowsOutOfOrder(String day) {
        String file = dir.resolve("archive/" + day + ".parquet").toString().replace("'", "''");
        try (Connection duck = DriverManager.getConnection("jdbc:duckdb:");
                Statement st = duck.createStatement();
                ResultSet rs = st.executeQuery("SELECT count(*) FILTER (WHERE file_row_number <> sorted - 1), count(*)"
                        + " FROM (SELECT file_row_number, row_number() OVER (ORDER BY series, ts_ms, seq) AS sorted"
                        + " FROM read_parquet('" + file + "', file_row_number = true))")) {
            rs.next();
            assertThat(rs.getLong(2)).as("rows in " + day).isPositive();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private List<String> archiveFiles() {
        try (Stream<Path> files = Files.list(dir.resolve("archive"))) {
            return files.filter(Files::isRegularFile)
                    .map(file -> file.getFileName().toString())
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static SignalValue textList() {
        return new SignalValue.TextList(List.of("a", "b, \"c\"", "ü"));
    }

    private static SignalValue numList() {
        return new SignalValue.NumList(List.of(1.0, 2.5, -3.0));
    }

    private ArchivedSampleStore openArchived(Runnable beforeWrite, Runnable afterExport) {
        QuestDbSampleStore hot = QuestDbSampleStore.open(dir.resolve("history"));
        return new ArchivedSampleStore(hot, dir.resolve("archive"), SignalCatalog.vss6(), beforeWrite, afterExport);
    }

    private ArchivedSampleStore openArchived(Runnable afterExport) {
        QuestDbSampleStore hot = QuestDbSampleStore.open(dir.resolve("history"));
        return new ArchivedSampleStore(hot, dir.resolve("archive"), SignalCatalog.vss6(), afterExport);
    }

    private static Object nativeRowOf(Sample sample) {
        return new io.tsunagu.server.history.internal.StoredRow(
                sample.tsMs(),
                sample.vin().value() + "/" + sample.path(),
                sample.seq(),
                (byte) 0,
                ((Num) sample.value()).value(),
                null);
    }

    /** The native table's rows of day {@code day}, read around the archive. */
    private List<Object> nativeRows(int day) {
        List<Object> rows = new ArrayList<>();
        long from = D0 + day * DAY_MS;
        store.hot().storedRows().forEachOfCar(CAR, from, from + DAY_MS, rows::add);
        return rows;
    }

    /** Raw pages (followed through their cursors), every aggregate at three steps, and the three latest kinds. */
    private static List<Object> everyAnswer(SampleStore store) {
        List<Object> answers = new ArrayList<>();
        long from = D0 - DAY_MS;
        long to = D0 + 5 * DAY_MS;
        for (Vin vin : CARS) {
            answers.add(allPages(store, HistoryQuery.raw(vin, List.of(), from, to, 700)));
            answers.add(allPages(store, HistoryQuery.raw(vin, List.of(SPEED, STATE), from + 5000, to, 10_000)));
            answers.add(allPages(store, HistoryQuery.raw(vin, List.of(SOC), D0 + DAY_MS / 2, D0 + 3 * DAY_MS, 333)));
            for (Aggregate aggregate : List.of(Aggregate.MIN, Aggregate.MAX, Aggregate.AVG)) {
                answers.add(allPages(
                        store,
                        HistoryQuery.downsampled(
                                vin, List.of(SPEED, SOC, GEAR), from, to, 3_600_000, aggregate, 10_000)));
                answers.add(allPages(
                        store, HistoryQuery.downsampled(vin, List.of(), from, to, 5 * 3_600_000, aggregate, 7)));
            }
            answers.add(allPages(store, HistoryQuery.downsampled(vin, PATHS, from, to, 60_000, Aggregate.LAST, 500)));
            answers.add(store.latest(vin));
            for (int day = 0; day < 4; day++) {
                answers.add(rawDay(store, vin, day));
            }
        }
        PATHS.forEach(path -> answers.add(store.latestOfEveryCar(path)));
        answers.add(store.latestAll());
        return answers;
    }

    private static List<HistoryPoint> allPages(SampleStore store, HistoryQuery first) {
        List<HistoryPoint> points = new ArrayList<>();
        HistoryPage page = store.query(first);
        points.addAll(page.points());
        while (page.nextCursor().isPresent()) {
            page = store.query(first.after(page.nextCursor().get()));
            points.addAll(page.points());
        }
        return points;
    }

    private static List<HistoryPoint> rawDay(SampleStore store, Vin vin, int day) {
        long from = D0 + day * DAY_MS;
        return allPages(store, HistoryQuery.raw(vin, List.of(), from, from + DAY_MS, 10_000));
    }

    /** Four days of seeded data; the old car only on the first day. Sequence numbers are unique per car. */
    private static List<Sample> fourDays() {
        Random random = new Random(11);
        List<Sample> samples = new ArrayList<>();
        long[] seq = new long[CARS.size()];
        for (int day = 0; day < 4; day++) {
            for (int i = 0; i < POINTS_PER_DAY; i++) {
                long ts = D0 + day * DAY_MS + i * 97_000L + random.nextInt(1000);
                for (int c = 0; c < CARS.size(); c++) {
                    if (CARS.get(c) == OLD_CAR && day > 0) {
                        continue;
                    }
                    samples.add(new Sample(CARS.get(c), ts, seq[c]++, SPEED, new Num(random.nextInt(1800) / 10.0)));
                    samples.add(new Sample(CARS.get(c), ts, seq[c]++, SOC, new Num(20 + random.nextDouble() * 80)));
                    samples.add(new Sample(CARS.get(c), ts, seq[c]++, GEAR, new Num(random.nextInt(7) - 1)));
                    if (i % 10 == 0) {
                        String source = List.of("RADIO", "BLUETOOTH", "USB").get(random.nextInt(3));
                        samples.add(new Sample(CARS.get(c), ts, seq[c]++, STATE, new SignalValue.Text(source)));
                    }
                }
            }
        }
        return samples;
    }

    /** Appends to both stores and waits until reads see the samples. */
    private void appendVisible(List<Sample> samples) {
        for (SampleStore target : Stream.of(store, reference).toList()) {
            target.appendDurably(samples);
            assertThat(target.awaitVisible(Duration.ofSeconds(30)))
                    .as("applied within 30 s")
                    .isTrue();
        }
    }
}
