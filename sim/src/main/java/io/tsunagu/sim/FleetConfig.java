package io.tsunagu.sim;

import io.tsunagu.protocol.TsunaguException;
import io.tsunagu.sim.model.VehicleProfile;
import java.nio.file.Path;
import java.util.List;

/**
 * How a {@link FleetSimulator} runs.
 *
 * @param cars number of simulated cars
 * @param seed seed of the VINs and of every car's model
 * @param speed simulated seconds per real second (60: one simulated minute per second)
 * @param reportIntervalMs simulated time between two frames of one car, at least
 * @param maxReportsPerSecondPerCar real-time cap on each car's frame rate; at high {@code speed} the simulated
 *     interval grows so that a fleet does not flood the broker (speed 60 with the default cap: one frame per simulated
 *     minute)
 * @param host broker host
 * @param port broker TLS port
 * @param bufferDir folder of the cars' offline buffers
 * @param simStartEpochMs simulated time at start, epoch ms UTC
 * @param profiles car models, assigned round-robin
 * @param threads scheduler threads shared by all cars and their agents
 * @param bufferFsync whether each car's buffer syncs every frame to the device (off by default: a simulated fleet
 *     writes many small frames, and crash safety of the OS page cache is enough for a simulation)
 */
public record FleetConfig(
        int cars,
        long seed,
        double speed,
        long reportIntervalMs,
        double maxReportsPerSecondPerCar,
        String host,
        int port,
        Path bufferDir,
        long simStartEpochMs,
        List<VehicleProfile> profiles,
        int threads,
        boolean bufferFsync) {

    public FleetConfig {
        profiles = List.copyOf(profiles);
        check(cars >= 1, "cars must be at least 1, got " + cars);
        check(speed > 0, "speed must be positive, got " + speed);
        check(reportIntervalMs >= 10, "reportIntervalMs must be at least 10, got " + reportIntervalMs);
        check(maxReportsPerSecondPerCar > 0, "maxReportsPerSecondPerCar must be positive");
        check(!profiles.isEmpty(), "profiles must not be empty");
        check(threads >= 1, "threads must be at least 1");
    }

    /** Defaults: real time, one frame a second per car, the three built-in profiles, two threads, port 8883. */
    public static FleetConfig defaults(int cars, long seed, Path bufferDir, long simStartEpochMs) {
        return new FleetConfig(
                cars, seed, 1, 1_000, 1, "localhost", 8883, bufferDir, simStartEpochMs, VehicleProfile.ALL, 2, false);
    }

    /** Simulated milliseconds between two frames of one car: the report interval, stretched by the real-time cap. */
    public long effectiveIntervalMs() {
        return Math.max(reportIntervalMs, Math.round(speed * 1_000 / maxReportsPerSecondPerCar));
    }

    /** Real nanoseconds between two frames of one car. */
    public long realPeriodNanos() {
        return Math.max(1, Math.round(effectiveIntervalMs() * 1_000_000 / speed));
    }

    public FleetConfig withSpeed(double newSpeed) {
        return new FleetConfig(
                cars,
                seed,
                newSpeed,
                reportIntervalMs,
                maxReportsPerSecondPerCar,
                host,
                port,
                bufferDir,
                simStartEpochMs,
                profiles,
                threads,
                bufferFsync);
    }

    public FleetConfig withBroker(String newHost, int newPort) {
        return new FleetConfig(
                cars,
                seed,
                speed,
                reportIntervalMs,
                maxReportsPerSecondPerCar,
                newHost,
                newPort,
                bufferDir,
                simStartEpochMs,
                profiles,
                threads,
                bufferFsync);
    }

    public FleetConfig withReportRate(long newReportIntervalMs, double newMaxReportsPerSecondPerCar) {
        return new FleetConfig(
                cars,
                seed,
                speed,
                newReportIntervalMs,
                newMaxReportsPerSecondPerCar,
                host,
                port,
                bufferDir,
                simStartEpochMs,
                profiles,
                threads,
                bufferFsync);
    }

    private static void check(boolean ok, String problem) {
        if (!ok) {
            throw new TsunaguException("invalid_fleet_config", problem, false);
        }
    }
}
