package io.tsunagu.sim;

import io.tsunagu.agent.update.EcuSerial;
import io.tsunagu.agent.update.HealthCheck;
import io.tsunagu.agent.update.HealthVerdict;
import io.tsunagu.agent.update.ImageMarkerHealthCheck;
import io.tsunagu.protocol.Vin;
import java.net.URI;
import java.util.function.Predicate;
import java.util.random.RandomGenerator;
import java.util.random.RandomGeneratorFactory;

/**
 * Lets a simulated fleet take software updates: each car has one ECU ({@link #ECU}, hardware id {@code hardwareId},
 * factory version {@code factoryVersion}) and runs the agent's update client against the cloud's HTTPS origin, with
 * the Uptane roots its {@link Provisioner} returns.
 *
 * <p>Failure injection: cars for which {@code failing} holds fail the health check of every new image (the install
 * then rolls back and the cloud sees {@code closed/failure}), on top of the {@link ImageMarkerHealthCheck} every car
 * runs.
 *
 * @param origin the cloud's HTTPS origin, e.g. {@code https://localhost:8443}
 * @param hardwareId the Uptane hardware id of every simulated car's ECU
 * @param factoryVersion the software version every car starts with
 * @param pollIntervalMs how often each car polls without a notification
 * @param failing which cars fail their health checks
 */
public record FleetUpdates(
        URI origin, String hardwareId, String factoryVersion, long pollIntervalMs, Predicate<Vin> failing) {
    /** The ECU serial of every simulated car's one ECU. */
    public static final EcuSerial ECU = EcuSerial.of("tcu-0001");
    /** The default Uptane hardware id of that ECU. */
    public static final String SIM_HARDWARE_ID = "tsunagu-sim-tcu";

    /** Defaults: hardware id {@code tsunagu-sim-tcu}, factory version {@code 1.0.0}, poll every minute, no failures. */
    public static FleetUpdates of(URI origin) {
        return new FleetUpdates(origin, SIM_HARDWARE_ID, "1.0.0", 60_000, vin -> false);
    }

    /** These settings, with the cars for which {@code failingCars} holds failing their health checks. */
    public FleetUpdates failing(Predicate<Vin> failingCars) {
        return new FleetUpdates(origin, hardwareId, factoryVersion, pollIntervalMs, failingCars);
    }

    /** These settings with another poll interval. */
    public FleetUpdates withPollIntervalMs(long intervalMs) {
        return new FleetUpdates(origin, hardwareId, factoryVersion, intervalMs, failing);
    }

    /** A share (0..1) of cars, chosen by a seeded hash of the VIN, so the same cars fail on every run. */
    public static Predicate<Vin> share(double share, long seed) {
        if (share < 0 || share > 1) {
            throw new IllegalArgumentException("share must be 0..1, got " + share);
        }
        return vin -> {
            RandomGenerator random = RandomGeneratorFactory.of("L64X128MixRandom")
                    .create(seed * 31 + vin.value().hashCode());
            return random.nextDouble() < share;
        };
    }

    /** The health check of car {@code vin}. */
    HealthCheck healthCheck(Vin vin) {
        ImageMarkerHealthCheck marker = new ImageMarkerHealthCheck();
        if (!failing.test(vin)) {
            return marker;
        }
        return (trial, slot) ->
                HealthVerdict.failed("injected failure: simulated car " + vin + " does not start " + trial.version());
    }
}
