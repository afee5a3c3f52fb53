package io.tsunagu.sim.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.protocol.vss.ValidationResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvModelTest {
    private static final long START_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final long[] SEEDS = {1, 2, 3, 42};
    private static final int DAY_S = 86_400;

    @Test
    void everyValueOverASimulatedDayIsAcceptedByTheVss6Catalog() {
        SignalCatalog catalog = SignalCatalog.vss6();
        for (VehicleProfile profile : VehicleProfile.ALL) {
            for (long seed : SEEDS) {
                EvModel car = new EvModel(profile, seed, START_MS);
                List<String> problems = new ArrayList<>();
                for (int t = 0; t < DAY_S; t += 10) {
                    car.step(10);
                    car.signals().forEach((path, value) -> {
                        if (catalog.validate(path, value) instanceof ValidationResult.Rejected rejected) {
                            problems.add(rejected.code() + " " + rejected.message());
                        }
                    });
                }
                assertThat(problems).as("%s seed %d", profile.name(), seed).isEmpty();
            }
        }
    }

    @Test
    void odometerNeverDecreasesSpeedStaysWithinLimitsAndCarsDriveAndCharge() {
        for (VehicleProfile profile : VehicleProfile.ALL) {
            for (long seed : SEEDS) {
                EvModel car = new EvModel(profile, seed, START_MS);
                double lastOdometer = 0;
                boolean drove = false;
                for (int t = 0; t < DAY_S; t += 5) {
                    car.step(5);
                    assertThat(car.odometerM()).isGreaterThanOrEqualTo(lastOdometer);
                    assertThat(car.speedKmh()).isBetween(0.0, 130.0);
                    lastOdometer = car.odometerM();
                    drove |= car.phase() == EvModel.Phase.DRIVING && car.speedKmh() > 30;
                }
                assertThat(drove).as("%s seed %d drove", profile.name(), seed).isTrue();
                assertThat(car.odometerM())
                        .as("%s seed %d km", profile.name(), seed)
                        .isGreaterThan(10_000);
            }
        }
    }

    @Test
    void socFallsWhileDriving() {
        EvModel car = new EvModel(VehicleProfile.BEV_400V, 7, START_MS);
        car.startTrip();
        double socBefore = car.socPercent();
        double odometerBefore = car.odometerM();
        for (int t = 0; t < 600 && car.phase() == EvModel.Phase.DRIVING; t++) {
            car.step(1);
        }
        assertThat(car.odometerM()).isGreaterThan(odometerBefore + 1_000);
        assertThat(car.socPercent()).isLessThan(socBefore);
    }

    @Test
    void dcChargingRaisesSocAtFullPowerThenTapersAboveTheKnee() {
        for (VehicleProfile profile : List.of(VehicleProfile.BEV_400V, VehicleProfile.BEV_800V)) {
            EvModel car = new EvModel(profile, 3, START_MS);
            car.state.energyKwh = profile.usableCapacityKwh() * 0.10;
            car.plugIn(EvModel.ChargeType.DC, 100);
            Map<Integer, Double> powerAtSoc = new java.util.TreeMap<>();
            double lastSoc = car.socPercent();
            while (car.phase() == EvModel.Phase.CHARGING && car.socPercent() < 97) {
                car.step(10);
                assertThat(car.socPercent()).isGreaterThan(lastSoc);
                lastSoc = car.socPercent();
                powerAtSoc.putIfAbsent((int) car.socPercent() / 10 * 10, car.chargePowerKw());
            }
            double peak = profile.maxDcPowerKw() * 0.95;
            assertThat(powerAtSoc.get(20)).as(profile.name()).isCloseTo(peak, within(1.0));
            assertThat(powerAtSoc.get(50)).as(profile.name()).isCloseTo(peak, within(1.0));
            assertThat(powerAtSoc.get(70)).as(profile.name()).isLessThan(peak * 0.85);
            assertThat(powerAtSoc.get(90)).as(profile.name()).isLessThan(powerAtSoc.get(70));
            assertThat(powerAtSoc.get(90)).as(profile.name()).isGreaterThan(profile.maxDcPowerKw() * 0.1);
            Map<String, Object> signals = car.signals();
            assertThat(signals.get("Vehicle.Powertrain.TractionBattery.Charging.IsCharging"))
                    .isEqualTo(car.phase() == EvModel.Phase.CHARGING);
        }
    }

    @Test
    void eightHundredVoltPackChargesFasterAtHigherVoltage() {
        assertThat(Battery.dcPowerKw(VehicleProfile.BEV_800V, 30))
                .isGreaterThan(Battery.dcPowerKw(VehicleProfile.BEV_400V, 30));
        assertThat(Battery.dcPowerKw(VehicleProfile.BEV_800V, 70))
                .isGreaterThan(Battery.dcPowerKw(VehicleProfile.BEV_400V, 70));
        EvModel car = new EvModel(VehicleProfile.BEV_800V, 1, START_MS);
        car.state.energyKwh = 0.5 * VehicleProfile.BEV_800V.usableCapacityKwh();
        car.step(1);
        assertThat((Double) car.signals().get("Vehicle.Powertrain.TractionBattery.CurrentVoltage"))
                .isBetween(650.0, 820.0);
    }

    @Test
    void chargingStopsAtTheChargeLimit() {
        EvModel car = new EvModel(VehicleProfile.BEV_400V, 5, START_MS);
        car.state.energyKwh = VehicleProfile.BEV_400V.usableCapacityKwh() * 0.3;
        car.plugIn(EvModel.ChargeType.AC, 80);
        for (int t = 0; t < 12 * 3_600 && car.phase() == EvModel.Phase.CHARGING; t += 10) {
            car.step(10);
        }
        assertThat(car.phase()).isEqualTo(EvModel.Phase.PARKED);
        assertThat(car.socPercent()).isBetween(80.0, 81.0);
        assertThat(
                        car.signals()
                                .get(
                                        "Vehicle.Powertrain.TractionBattery.Charging.ChargingPort.AnyPosition.IsChargingCableConnected"))
                .isEqualTo(true);
    }

    @Test
    void hybridGeneratorStartsBelowThresholdAndHoldsSoc() {
        VehicleProfile.RangeExtender rex =
                VehicleProfile.SERIES_HYBRID.rangeExtender().orElseThrow();
        for (long seed : SEEDS) {
            EvModel car = new EvModel(VehicleProfile.SERIES_HYBRID, seed, START_MS);
            car.state.energyKwh = VehicleProfile.SERIES_HYBRID.usableCapacityKwh() * 0.30;
            car.refuel();
            boolean generatorRan = false;
            double minSoc = 100;
            for (int t = 0; t < DAY_S; t += 5) {
                car.step(5);
                generatorRan |= car.engineRunning();
                minSoc = Math.min(minSoc, car.socPercent());
            }
            assertThat(generatorRan).as("seed %d", seed).isTrue();
            assertThat(minSoc).as("seed %d", seed).isGreaterThan(rex.startSocPercent() - 8);
        }
    }

    @Test
    void sameSeedGivesTheSameTrajectory() {
        EvModel a = new EvModel(VehicleProfile.BEV_800V, 99, START_MS);
        EvModel b = new EvModel(VehicleProfile.BEV_800V, 99, START_MS);
        for (int i = 0; i < 500; i++) {
            a.step(30);
            b.step(30);
            assertThat(a.signals()).isEqualTo(b.signals());
        }
        EvModel other = new EvModel(VehicleProfile.BEV_800V, 100, START_MS);
        other.step(30 * 500);
        assertThat(other.signals()).isNotEqualTo(a.signals());
    }
}
