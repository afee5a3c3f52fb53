package io.tsunagu.bench.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.tsunagu.bench.micro.EvFleet;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.history.QuestDbSampleStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads a tiny data set into Tsunagu's store and DuckDB and asks all three engines the benchmark's questions: the
 * benchmark compares speed only of engines that give the same answers, and the answers must be the right ones.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HistoryEnginesTest {
    private static final HistoryShape SHAPE = new HistoryShape(4, 30, 7_200, 5);
    private static final String SPEED = "Vehicle.Speed";
    private static final String SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Current";
    private static final long HOUR_MS = 3_600_000;

    private final Map<String, List<Answer>> answers = new TreeMap<>();
    private Vin dayCar;
    private long generated;

    @BeforeAll
    void loadAndAskEveryEngine(@TempDir Path dir) {
        HistoryDataSet data = new HistoryDataSet(SHAPE);
        dayCar = data.dayCar();
        QuestDbSampleStore store = QuestDbSampleStore.open(dir.resolve("questdb"));
        try (DuckDbHistory duckdb = DuckDbHistory.create(dir.resolve("duck.db"))) {
            data.generate(batch -> {
                generated += batch.size();
                store.appendDurably(batch);
                duckdb.append(batch);
            });
            duckdb.finishLoading();
            try (TsunaguHistory tsunagu = new TsunaguHistory(store)) {
                ask(tsunagu);
            }
            try (QuestDbSqlHistory questdb = QuestDbSqlHistory.open(dir.resolve("questdb"))) {
                ask(questdb);
            }
            ask(duckdb);
        }
    }

    private void ask(HistoryEngine engine) {
        answers.put(
                engine.name(),
                List.of(
                        engine.downsampled(dayCar, SPEED, HistoryShape.DAY_START_MS, SHAPE.dayEndMs(), 60_000),
                        engine.raw(dayCar, SHAPE.dayEndMs() - HOUR_MS, SHAPE.dayEndMs()),
                        engine.latestOfEveryCar(SOC)));
    }

    @Test
    void generatesTheRowsTheShapePromises() {
        assertThat(generated).isEqualTo(SHAPE.samples()).isEqualTo((7_200 - 30 + 4 * 30) * 20L);
    }

    @Test
    void everyEngineGivesTheSameAnswers() {
        assertThat(answers).containsOnlyKeys("tsunagu", "questdb-sql", "duckdb");
        List<Answer> reference = answers.get("duckdb");
        answers.forEach((engine, mine) -> {
            for (int q = 0; q < reference.size(); q++) {
                assertThat(mine.get(q).difference(reference.get(q), 1e-9))
                        .as("%s, question %d", engine, q)
                        .isEmpty();
            }
        });
    }

    @Test
    void answersHaveTheExpectedShape() {
        List<Answer> tsunagu = answers.get("tsunagu");
        assertThat(tsunagu.get(0).size())
                .as("one bucket per minute of the day car's 2 h")
                .isEqualTo(120);
        assertThat(tsunagu.get(1).size())
                .as("an hour of 20 signals at 1 Hz")
                .isEqualTo(3_600 * EvFleet.SIGNALS_PER_FRAME);
        assertThat(tsunagu.get(2).rows())
                .as("one latest SoC per car, all at the last second of the day")
                .hasSize(4)
                .allSatisfy(row -> assertThat(row.tsMs()).isEqualTo(SHAPE.dayEndMs() - 1_000));
        List<Double> minuteSpeeds = new ArrayList<>();
        tsunagu.get(0).rows().forEach(row -> minuteSpeeds.add(row.value()));
        assertThat(minuteSpeeds)
                .as("the day car drives at some point")
                .anySatisfy(v -> assertThat(v).isPositive());
    }

    @Test
    void differenceNamesTheFirstMismatch() {
        Answer a = new Answer(List.of(new Answer.Row("x", 1, 1.0), new Answer.Row("x", 2, 2.0)));
        Answer b = new Answer(List.of(new Answer.Row("x", 2, 2.0), new Answer.Row("x", 1, 1.5)));
        assertThat(a.difference(new Answer(List.copyOf(a.rows()).reversed()), 1e-9))
                .isEmpty();
        assertThat(a.difference(b, 1e-9)).hasValueSatisfying(d -> assertThat(d).contains("row 0"));
        assertThat(a.difference(new Answer(List.of()), 1e-9)).hasValue("2 rows vs 0");
    }
}
