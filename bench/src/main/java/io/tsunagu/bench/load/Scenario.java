package io.tsunagu.bench.load;

import java.nio.file.Path;

/** One load scenario: measures Tsunagu and its baseline in the same run. */
interface Scenario {
    String name();

    /** Cars (or connections) when {@code --vehicles} is not given. */
    int defaultVehicles(boolean smoke);

    /** Measured seconds per target when {@code --duration} is not given. */
    int defaultDurationS(boolean smoke);

    /** Registered cars the scenario needs for these settings. */
    default int carsNeeded(ScenarioSettings settings) {
        return settings.vehicles();
    }

    ScenarioResult run(BenchContext context, ScenarioSettings settings);

    /** False for a scenario that measures storage engines in this process: it runs by {@link #runAlone}. */
    default boolean needsServer() {
        return true;
    }

    /** Runs a scenario that {@linkplain #needsServer() needs no server}, its files under {@code workDir}. */
    default ScenarioResult runAlone(ScenarioSettings settings, Path workDir) {
        throw new UnsupportedOperationException(name() + " needs the server under test");
    }
}
