package io.tsunagu.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.tsunagu.agent.command.ActionOutcome;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.protocol.vss.ValidationResult;
import io.tsunagu.sim.model.EvModel;
import io.tsunagu.sim.model.TestCars;
import io.tsunagu.sim.model.VehicleProfile;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SimulatedActuatorsTest {
    private static final long START_MS = 1_767_225_600_000L; // 2026-01-01T00:00:00Z
    private static final String DOORS = "Vehicle.Cabin.Door.";
    private static final String CHARGING = "Vehicle.Powertrain.TractionBattery.Charging.";
    private static final String CABIN_C = "Vehicle.Cabin.HVAC.AmbientAirTemperature";

    private final EvModel car = new EvModel(VehicleProfile.BEV_400V, 3, START_MS);
    private final List<Map<String, Object>> frames = new ArrayList<>();
    private final SimulatedActuators actuators = new SimulatedActuators(car, m -> frames.add(m.signals()));

    private ActionOutcome run(String action, Map<String, String> params) {
        return actuators.execute(action, params);
    }

    private ActionOutcome run(String action) {
        return run(action, Map.of());
    }

    @Test
    void unlockAndLockShowOnEveryDoorAndRecordAFrameAtOnce() {
        assertThat(run("doors.unlock")).isEqualTo(ActionOutcome.executed());
        assertThat(frames)
                .singleElement()
                .satisfies(frame -> assertThat(frame)
                        .containsEntry(DOORS + "Row1.DriverSide.IsLocked", false)
                        .containsEntry(DOORS + "Row2.PassengerSide.IsLocked", false));

        run("doors.lock");
        car.step(1);

        assertThat(car.signals())
                .containsEntry(DOORS + "Row1.DriverSide.IsLocked", true)
                .containsEntry(DOORS + "Row1.PassengerSide.IsLocked", true)
                .containsEntry(DOORS + "Row2.DriverSide.IsLocked", true)
                .containsEntry(DOORS + "Row2.PassengerSide.IsLocked", true);
    }

    @Test
    void climateMakesTheParkedCabinApproachTheSetpointOverSimulatedMinutes() {
        TestCars.park(car, 6 * 3_600);
        car.step(3 * 3_600); // the parked cabin settles near the outside temperature
        double target = car.cabinTemperatureC() < 22 ? 28 : 16;
        double gapBefore = Math.abs(car.cabinTemperatureC() - target);
        assertThat(gapBefore).isGreaterThan(5);

        assertThat(run("climate.start", Map.of("temperature_c", String.valueOf(target))))
                .isEqualTo(ActionOutcome.executed());
        double lastGap = gapBefore;
        for (int minute = 1; minute <= 30; minute++) {
            car.step(60);
            double gap = Math.abs(car.cabinTemperatureC() - target);
            assertThat(gap).as("minute %d", minute).isLessThan(lastGap);
            lastGap = gap;
        }

        assertThat(car.cabinTemperatureC()).isCloseTo(target, within(1.5));
        assertThat(car.signals())
                .containsEntry("Vehicle.Cabin.HVAC.Station.Row1.Driver.Temperature", target)
                .containsEntry("Vehicle.Cabin.HVAC.IsAirConditioningActive", true);
        assertThat((Double) car.signals().get(CABIN_C)).isCloseTo(target, within(1.5));

        run("climate.stop");
        assertThat(car.signals()).containsEntry("Vehicle.Cabin.HVAC.IsAirConditioningActive", false);
    }

    @Test
    void refusesASetpointOutsideTheHvacRange() {
        assertThat(run("climate.start", Map.of("temperature_c", "45")))
                .isInstanceOfSatisfying(
                        ActionOutcome.Failed.class, f -> assertThat(f.reason()).isEqualTo("invalid_params"));
        assertThat(run("climate.start", Map.of("temperature_c", "warm"))).isInstanceOf(ActionOutcome.Failed.class);
        assertThat(frames).isEmpty();
    }

    @Test
    void chargingStartFailsWithoutACable() {
        TestCars.park(car, 3_600);
        assertThat(car.cableConnected()).isFalse();

        assertThat(run("charging.start"))
                .isEqualTo(ActionOutcome.failed("not_plugged_in", "no charging cable is connected"));
        assertThat(car.phase()).isEqualTo(EvModel.Phase.PARKED);
    }

    @Test
    void chargingStopsAndStartsAgainWhilePluggedIn() {
        TestCars.plugInAc(car, 30, 80);
        assertThat(car.phase()).isEqualTo(EvModel.Phase.CHARGING);

        run("charging.stop");
        car.step(10);
        assertThat(car.signals()).containsEntry(CHARGING + "IsCharging", false);

        assertThat(run("charging.start")).isEqualTo(ActionOutcome.executed());
        car.step(10);
        assertThat(car.signals()).containsEntry(CHARGING + "IsCharging", true);
        assertThat(car.chargePowerKw()).isPositive();
    }

    @Test
    void theChargeLimitStopsChargingAndRefusesAStartAboveIt() {
        TestCars.plugInAc(car, 55, 90);

        assertThat(run("charging.set_limit", Map.of("limit_percent", "56"))).isEqualTo(ActionOutcome.executed());
        for (int t = 0; t < 3_600 && car.phase() == EvModel.Phase.CHARGING; t += 10) {
            car.step(10);
        }

        assertThat(car.signals())
                .containsEntry(CHARGING + "ChargeLimit", 56L)
                .containsEntry(CHARGING + "IsCharging", false);
        assertThat(run("charging.start"))
                .isInstanceOfSatisfying(
                        ActionOutcome.Failed.class, f -> assertThat(f.reason()).isEqualTo("charge_limit_reached"));
        assertThat(run("charging.set_limit", Map.of("limit_percent", "20"))).isInstanceOf(ActionOutcome.Failed.class);
    }

    @Test
    void hornAndLightsFlashForAMomentAndTheChargePortOpens() {
        run("horn_lights.flash");
        run("charge_port.open");

        assertThat(frames.getFirst())
                .containsEntry("Vehicle.Body.Horn.IsActive", true)
                .containsEntry("Vehicle.Body.Lights.Hazard.IsSignaling", true);
        car.step(5);
        assertThat(car.signals())
                .containsEntry("Vehicle.Body.Horn.IsActive", false)
                .containsEntry("Vehicle.Body.Lights.Hazard.IsSignaling", false)
                .containsEntry(CHARGING + "ChargingPort.AnyPosition.IsFlapOpen", true);
    }

    @Test
    void refreshAndWakeRecordASnapshotAndUnknownActionsFail() {
        assertThat(run("refresh")).isEqualTo(ActionOutcome.executed());
        assertThat(run("wake")).isEqualTo(ActionOutcome.executed());
        assertThat(run("sunroof.open"))
                .isInstanceOfSatisfying(
                        ActionOutcome.Failed.class, f -> assertThat(f.reason()).isEqualTo("unsupported_action"));

        assertThat(frames).hasSize(2).allSatisfy(frame -> assertThat(frame).isEqualTo(car.signals()));
    }

    @Test
    void everySignalAfterEveryActionIsAcceptedByTheVss6Catalog() {
        SignalCatalog catalog = SignalCatalog.vss6();
        TestCars.plugInAc(car, 40, 80);
        run("doors.unlock");
        run("climate.start", Map.of("temperature_c", "19.5"));
        run("charging.set_limit", Map.of("limit_percent", "100"));
        run("charge_port.open");
        run("horn_lights.flash");
        run("charging.stop");
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> frame : frames) {
            frame.forEach((path, value) -> {
                if (catalog.validate(path, value) instanceof ValidationResult.Rejected rejected) {
                    problems.add(path + ": " + rejected.code() + " " + rejected.message());
                }
            });
        }
        assertThat(frames).hasSize(6);
        assertThat(problems).isEmpty();
    }
}
