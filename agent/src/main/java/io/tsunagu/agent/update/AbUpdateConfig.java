package io.tsunagu.agent.update;

import io.tsunagu.agent.AgentException;
import io.tsunagu.protocol.Vin;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything an {@link AbUpdateSystem} needs. Build with {@link #builder(Vin, Path)}.
 *
 * @param vin the car (log context)
 * @param dir the folder of the A/B systems: {@code update.mv.db} (boot control and outbox) and one sub-folder per
 *     ECU holding {@code slot-a.img} and {@code slot-b.img}
 * @param factoryVersions the car's ECUs, each with the version of the factory image written into slot A when the ECU
 *     is first seen
 * @param maxBootAttempts trial boots of a new image before the bootloader falls back, 1 to 10 (RAUC's default
 *     {@code BOOT_x_LEFT} is 3)
 * @param healthCheck decides after a trial boot whether to commit
 * @param reporter if present, pending steps are flushed to it after every durable step (otherwise the caller flushes
 *     {@link AbUpdateSystem#outbox()})
 * @param hook failure injection at named points; {@link InstallHook#NONE} in production
 * @param clock the time of reported steps
 */
public record AbUpdateConfig(
        Vin vin,
        Path dir,
        Map<EcuSerial, String> factoryVersions,
        int maxBootAttempts,
        HealthCheck healthCheck,
        Optional<UpdateReporter> reporter,
        InstallHook hook,
        Clock clock) {

    public AbUpdateConfig {
        factoryVersions = Map.copyOf(factoryVersions);
        if (factoryVersions.isEmpty()) {
            throw new AgentException("invalid_update_config", "at least one ECU is needed", false);
        }
        if (maxBootAttempts < 1 || maxBootAttempts > 10) {
            throw new AgentException(
                    "invalid_update_config", "maxBootAttempts must be 1-10, got " + maxBootAttempts, false);
        }
    }

    /** The ECUs in a stable order. */
    public Iterable<EcuSerial> ecus() {
        return new TreeMap<>(factoryVersions).keySet();
    }

    /** A builder with 3 boot attempts, the {@link ImageMarkerHealthCheck}, no reporter, no hook, the UTC clock. */
    public static Builder builder(Vin vin, Path dir) {
        return new Builder(vin, dir);
    }

    /** Mutable builder of an {@link AbUpdateConfig}. */
    public static final class Builder {
        private final Vin vin;
        private final Path dir;
        private final Map<EcuSerial, String> factoryVersions = new TreeMap<>();
        private int maxBootAttempts = 3;
        private HealthCheck healthCheck = new ImageMarkerHealthCheck();
        private Optional<UpdateReporter> reporter = Optional.empty();
        private InstallHook hook = InstallHook.NONE;
        private Clock clock = Clock.systemUTC();

        private Builder(Vin vin, Path dir) {
            this.vin = vin;
            this.dir = dir;
        }

        /** Adds an ECU whose factory image has {@code factoryVersion}. */
        public Builder ecu(EcuSerial ecu, String factoryVersion) {
            factoryVersions.put(ecu, factoryVersion);
            return this;
        }

        public Builder maxBootAttempts(int maxBootAttempts) {
            this.maxBootAttempts = maxBootAttempts;
            return this;
        }

        public Builder healthCheck(HealthCheck healthCheck) {
            this.healthCheck = healthCheck;
            return this;
        }

        public Builder reporter(UpdateReporter reporter) {
            this.reporter = Optional.of(reporter);
            return this;
        }

        public Builder hook(InstallHook hook) {
            this.hook = hook;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public AbUpdateConfig build() {
            return new AbUpdateConfig(vin, dir, factoryVersions, maxBootAttempts, healthCheck, reporter, hook, clock);
        }
    }
}
