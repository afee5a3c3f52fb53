package io.tsunagu.sim.model;

/** Puts a model into situations the simulation reaches only by chance (tests in other packages). */
public final class TestCars {
    private TestCars() {}

    /** Parks for {@code seconds} so that no trip starts meanwhile. */
    public static void park(EvModel car, double seconds) {
        car.parkFor(seconds);
    }

    /** Sets the state of charge, then plugs an AC cable in (charging starts below {@code limitPercent}). */
    public static void plugInAc(EvModel car, double socPercent, int limitPercent) {
        car.state.energyKwh = car.profile().usableCapacityKwh() * socPercent / 100;
        car.plugIn(EvModel.ChargeType.AC, limitPercent);
        car.state.parkRemainingS = 1e9; // stays plugged in for the test
    }
}
