package io.tsunagu.bench.load;

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
}
