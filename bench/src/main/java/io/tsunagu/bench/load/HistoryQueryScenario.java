package io.tsunagu.bench.load;

import io.tsunagu.bench.history.Answer;
import io.tsunagu.bench.history.DuckDbHistory;
import io.tsunagu.bench.history.HistoryDataSet;
import io.tsunagu.bench.history.HistoryEngine;
import io.tsunagu.bench.history.HistoryShape;
import io.tsunagu.bench.history.QuestDbSqlHistory;
import io.tsunagu.bench.history.TsunaguHistory;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.history.QuestDbSampleStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code history-query}: a seeded EV data set ({@link HistoryShape}: every car for a short window, one car for the
 * whole day) is loaded straight into Tsunagu's history store and into DuckDB, then three questions are timed on each
 * engine, one caller, back to back: one series' day downsampled to 1-minute averages, one car's raw last hour of all
 * 20 signals, and the latest SoC of every car. Engines: Tsunagu's history API ({@code tsunagu}, the path of {@code GET
 * /history}), QuestDB SQL on the same table ({@code questdb-sql}, the engine's raw API) and DuckDB SQL ({@code
 * duckdb}, the baseline). Every engine's answers are compared before any figure is reported; a difference fails the
 * run. No server, no broker: storage engines in this process.
 */
final class HistoryQueryScenario implements Scenario {
    static final String DOWNSAMPLED_PATH = "Vehicle.Speed";
    static final String LATEST_PATH = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";
    static final long STEP_MS = 60_000;
    static final long HOUR_MS = 3_600_000;
    static final long SEED = 33;
    private static final int SMOKE_DAY_S = 7_200;
    private static final double TOLERANCE = 1e-9;
    private static final Logger LOG = LoggerFactory.getLogger(HistoryQueryScenario.class);

    /** The three questions, by the prefix of their targets and ratios. */
    private enum Question {
        DAY("day"),
        HOUR("hour"),
        LATEST("latest");

        final String label;

        Question(String label) {
            this.label = label;
        }
    }

    @Override
    public String name() {
        return "history-query";
    }

    @Override
    public int defaultVehicles(boolean smoke) {
        return smoke ? 50 : 10_000;
    }

    @Override
    public int defaultDurationS(boolean smoke) {
        return smoke ? 1 : 5;
    }

    /** Seconds of data of every car when {@code --window} is not given. */
    static int defaultWindowS(boolean smoke) {
        return smoke ? 30 : 120;
    }

    @Override
    public int carsNeeded(ScenarioSettings settings) {
        return 0;
    }

    @Override
    public boolean needsServer() {
        return false;
    }

    @Override
    public ScenarioResult run(BenchContext context, ScenarioSettings settings) {
        throw new UnsupportedOperationException("history-query runs without a server: use runAlone");
    }

    @Override
    public ScenarioResult runAlone(ScenarioSettings settings, Path workDir) {
        HistoryShape shape = new HistoryShape(
                settings.vehicles(),
                settings.windowS().orElse(defaultWindowS(settings.smoke())),
                settings.smoke() ? SMOKE_DAY_S : HistoryShape.FULL_DAY_S,
                SEED);
        LOG.info("history-query: generating and loading {}", shape.describe());
        HistoryDataSet data = new HistoryDataSet(shape);
        Path questDbDir = workDir.resolve("history-questdb");
        Path duckDbFile = workDir.resolve("history.duckdb");
        long warmupMs = settings.smoke() ? 200 : settings.warmupMs();
        long measureMs = settings.smoke() ? 300 : settings.durationS() * 1_000L;
        Map<String, List<QueryTimer.Timed>> byEngine = new LinkedHashMap<>();
        HistoryLoad load;
        try (TsunaguHistory tsunagu = new TsunaguHistory(QuestDbSampleStore.open(questDbDir));
                DuckDbHistory duckdb = DuckDbHistory.create(duckDbFile)) {
            load = HistoryLoad.run(data, tsunagu.store(), duckdb, shape.samples());
            LOG.info("history-query: loaded {} rows; timing the queries", load.samples());
            byEngine.put(tsunagu.name(), timeAll(tsunagu, data.dayCar(), shape, warmupMs, measureMs));
            tsunagu.close(); // the raw engine opens the same files
            try (QuestDbSqlHistory questdb = QuestDbSqlHistory.open(questDbDir)) {
                byEngine.put(questdb.name(), timeAll(questdb, data.dayCar(), shape, warmupMs, measureMs));
            }
            byEngine.put(duckdb.name(), timeAll(duckdb, data.dayCar(), shape, warmupMs, measureMs));
        }
        List<String> checked = checkSameAnswers(byEngine);
        return result(shape, load, byEngine, checked, questDbDir, duckDbFile);
    }

    private static List<QueryTimer.Timed> timeAll(
            HistoryEngine engine, Vin dayCar, HistoryShape shape, long warmupMs, long measureMs) {
        Map<Question, Function<HistoryEngine, Answer>> questions = new LinkedHashMap<>();
        questions.put(
                Question.DAY,
                e -> e.downsampled(dayCar, DOWNSAMPLED_PATH, HistoryShape.DAY_START_MS, shape.dayEndMs(), STEP_MS));
        questions.put(
                Question.HOUR,
                e -> e.raw(
                        dayCar, shape.dayEndMs() - Math.min(HOUR_MS, shape.daySeconds() * 1_000L), shape.dayEndMs()));
        questions.put(Question.LATEST, e -> e.latestOfEveryCar(LATEST_PATH));
        List<QueryTimer.Timed> timed = new ArrayList<>();
        questions.forEach((question, ask) -> timed.add(
                QueryTimer.time(engine.name() + "-" + question.label, () -> ask.apply(engine), warmupMs, measureMs)));
        return timed;
    }

    /** DuckDB's answers are the reference; any difference is a broken comparison, so the run fails. */
    private static List<String> checkSameAnswers(Map<String, List<QueryTimer.Timed>> byEngine) {
        List<QueryTimer.Timed> reference = byEngine.get("duckdb");
        List<String> checked = new ArrayList<>();
        for (Question question : Question.values()) {
            Answer expected = reference.get(question.ordinal()).answer();
            byEngine.forEach((engine, timed) -> timed.get(question.ordinal())
                    .answer()
                    .difference(expected, TOLERANCE)
                    .ifPresent(difference -> {
                        throw new IllegalStateException("history-query: " + engine + " and duckdb answer '"
                                + question.label + "' differently: " + difference);
                    }));
            checked.add(question.label + " " + expected.size() + " rows");
        }
        return checked;
    }

    private ScenarioResult result(
            HistoryShape shape,
            HistoryLoad load,
            Map<String, List<QueryTimer.Timed>> byEngine,
            List<String> checked,
            Path questDbDir,
            Path duckDbFile) {
        List<Measurement> measurements = new ArrayList<>();
        Map<String, Double> ratios = new LinkedHashMap<>();
        List<String> notes = new ArrayList<>();
        notes.add("Data set: " + shape.describe() + ".");
        notes.add("Answers checked equal across the three engines (every row, values within 1e-9 relative): "
                + String.join(", ", checked) + ".");
        for (Question question : Question.values()) {
            Measurement tsunagu =
                    byEngine.get("tsunagu").get(question.ordinal()).measurement();
            Measurement questdb =
                    byEngine.get("questdb-sql").get(question.ordinal()).measurement();
            Measurement duckdb = byEngine.get("duckdb").get(question.ordinal()).measurement();
            measurements.addAll(List.of(tsunagu, questdb, duckdb));
            ratios.put(question.label + ".tsunaguVsDuckdb.queriesPerS", ratio(tsunagu, duckdb));
            ratios.put(question.label + ".questdbSqlVsDuckdb.queriesPerS", ratio(questdb, duckdb));
            ratios.put(question.label + ".tsunaguVsQuestdbSql.queriesPerS", ratio(tsunagu, questdb));
            notes.add(verdict(question, tsunagu, duckdb));
        }
        notes.addAll(HistoryQueryNotes.ALWAYS);
        return new ScenarioResult(name(), settings(shape, load, questDbDir, duckDbFile), measurements, ratios, notes);
    }

    private static double ratio(Measurement a, Measurement b) {
        return a.opsPerS() / Math.max(b.opsPerS(), 1e-9);
    }

    /** Target (issue 3): p99 ≤ 10 ms for every query, and ≥ 3× DuckDB for the downsampled day. */
    private static String verdict(Question question, Measurement tsunagu, Measurement duckdb) {
        double speedup = ratio(tsunagu, duckdb);
        boolean p99Met = tsunagu.p99Ms() <= 10;
        boolean met = p99Met && (question != Question.DAY || speedup >= 3);
        return String.format(
                Locale.ROOT,
                "%s: Tsunagu p99 %.2f ms (target ≤ 10), %.2f× DuckDB's queries/s%s: target %s.",
                question.label,
                tsunagu.p99Ms(),
                speedup,
                question == Question.DAY ? " (target ≥ 3×)" : "",
                met ? "met" : "missed");
    }

    private static Map<String, Object> settings(
            HistoryShape shape, HistoryLoad load, Path questDbDir, Path duckDbFile) {
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("cars", shape.cars());
        settings.put("windowS", shape.windowS());
        settings.put("daySeconds", shape.daySeconds());
        settings.put("rows", shape.samples());
        settings.put("seed", shape.seed());
        settings.put("downsampledSignal", DOWNSAMPLED_PATH);
        settings.put("latestSignal", LATEST_PATH);
        settings.put("tsunaguLoadSamplesPerS", Math.round(load.tsunaguSamplesPerS()));
        settings.put("duckdbLoadSamplesPerS", Math.round(load.duckdbSamplesPerS()));
        settings.put("questdbBytesPerRow", round(HistoryLoad.bytes(questDbDir) / (double) load.samples()));
        settings.put("duckdbBytesPerRow", round(HistoryLoad.bytes(duckDbFile) / (double) load.samples()));
        return settings;
    }

    private static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }
}
