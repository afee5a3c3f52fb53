package io.tsunagu.agent.update;

import io.tsunagu.agent.AgentException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;

/**
 * How a {@link io.tsunagu.agent.VehicleAgent} takes software updates; a car without them behaves as before. Build
 * with {@link #builder(URI, byte[], byte[])}.
 *
 * @param origin the cloud's HTTPS origin (DDI, Uptane metadata, artifacts), e.g. {@code https://cloud:8443}; the
 *     car authenticates with its MQTT client certificate
 * @param tenant the hawkBit DDI tenant ({@code DEFAULT})
 * @param hardwareIds the ECUs, each with its Uptane hardware id
 * @param factoryVersions the ECUs, each with the version of its factory image
 * @param directorRoot the director's root metadata provisioned at manufacture (raw signed JSON)
 * @param imageRoot the image repository's root metadata provisioned at manufacture
 * @param dir the folder of the A/B systems and the client; empty: {@code <bufferDir>/<vin>.update}
 * @param pollIntervalMs polls without a notification
 * @param healthCheck decides after a trial boot whether to commit
 * @param scheduler runs update rounds (a simulator shares one among many cars); empty: one daemon thread per car
 * @param clock the Uptane expiry clock and the time of reported steps (the real clock, also in a simulation)
 */
public record UpdateSettings(
        URI origin,
        String tenant,
        Map<EcuSerial, String> hardwareIds,
        Map<EcuSerial, String> factoryVersions,
        byte[] directorRoot,
        byte[] imageRoot,
        Optional<Path> dir,
        long pollIntervalMs,
        HealthCheck healthCheck,
        Optional<ScheduledExecutorService> scheduler,
        Clock clock) {

    public UpdateSettings {
        hardwareIds = Map.copyOf(hardwareIds);
        factoryVersions = Map.copyOf(factoryVersions);
        directorRoot = directorRoot.clone();
        imageRoot = imageRoot.clone();
        if (hardwareIds.isEmpty() || !hardwareIds.keySet().equals(factoryVersions.keySet())) {
            throw new AgentException(
                    "invalid_update_config", "every ECU needs a hardware id and a factory version", false);
        }
    }

    @Override
    public byte[] directorRoot() {
        return directorRoot.clone();
    }

    @Override
    public byte[] imageRoot() {
        return imageRoot.clone();
    }

    /** A builder: tenant {@code DEFAULT}, poll every 5 minutes, the {@link ImageMarkerHealthCheck}. */
    public static Builder builder(URI origin, byte[] directorRoot, byte[] imageRoot) {
        return new Builder(origin, directorRoot, imageRoot);
    }

    /** Mutable builder of {@link UpdateSettings}. */
    public static final class Builder {
        private final URI origin;
        private final byte[] directorRoot;
        private final byte[] imageRoot;
        private String tenant = "DEFAULT";
        private final Map<EcuSerial, String> hardwareIds = new TreeMap<>();
        private final Map<EcuSerial, String> factoryVersions = new TreeMap<>();
        private Optional<Path> dir = Optional.empty();
        private long pollIntervalMs = 300_000;
        private HealthCheck healthCheck = new ImageMarkerHealthCheck();
        private Optional<ScheduledExecutorService> scheduler = Optional.empty();
        private Clock clock = Clock.systemUTC();

        private Builder(URI origin, byte[] directorRoot, byte[] imageRoot) {
            this.origin = origin;
            this.directorRoot = directorRoot.clone();
            this.imageRoot = imageRoot.clone();
        }

        /** Adds an ECU with its Uptane hardware id and the version of its factory image. */
        public Builder ecu(EcuSerial ecu, String hardwareId, String factoryVersion) {
            hardwareIds.put(ecu, hardwareId);
            factoryVersions.put(ecu, factoryVersion);
            return this;
        }

        public Builder tenant(String tenant) {
            this.tenant = tenant;
            return this;
        }

        public Builder dir(Path dir) {
            this.dir = Optional.of(dir);
            return this;
        }

        public Builder pollIntervalMs(long pollIntervalMs) {
            this.pollIntervalMs = pollIntervalMs;
            return this;
        }

        public Builder healthCheck(HealthCheck healthCheck) {
            this.healthCheck = healthCheck;
            return this;
        }

        public Builder scheduler(ScheduledExecutorService scheduler) {
            this.scheduler = Optional.of(scheduler);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public UpdateSettings build() {
            return new UpdateSettings(
                    origin,
                    tenant,
                    hardwareIds,
                    factoryVersions,
                    directorRoot,
                    imageRoot,
                    dir,
                    pollIntervalMs,
                    healthCheck,
                    scheduler,
                    clock);
        }
    }
}
