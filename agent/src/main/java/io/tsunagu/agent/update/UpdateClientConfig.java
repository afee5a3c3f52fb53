package io.tsunagu.agent.update;

import io.tsunagu.agent.AgentException;
import io.tsunagu.protocol.Vin;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Everything an {@link UpdateClient} needs besides its channels.
 *
 * @param vin the car (log context)
 * @param dir the client's folder: {@code trusted-state.json} (Uptane trust) and {@code downloads/} (partial images,
 *     kept across restarts so a download resumes); put it beside the A/B store
 * @param hardwareIds the car's ECUs the primary updates, each with its Uptane hardware id
 * @param directorRoot the director's root metadata provisioned at manufacture (raw signed JSON), used until the
 *     first verified update persists newer trust
 * @param imageRoot the image repository's root metadata provisioned at manufacture
 * @param pollIntervalMs how often the client polls without a notification (a missed MQTT hint is never fatal)
 * @param downloadAttempts HTTP requests per image and poll before the download waits for the next poll
 * @param requestTimeoutMs until an HTTP response's headers arrive
 * @param clock the Uptane expiry clock
 */
public record UpdateClientConfig(
        Vin vin,
        Path dir,
        Map<EcuSerial, String> hardwareIds,
        byte[] directorRoot,
        byte[] imageRoot,
        long pollIntervalMs,
        int downloadAttempts,
        long requestTimeoutMs,
        Clock clock) {

    public UpdateClientConfig {
        hardwareIds = Map.copyOf(hardwareIds);
        directorRoot = directorRoot.clone();
        imageRoot = imageRoot.clone();
        require(!hardwareIds.isEmpty(), "at least one ECU is needed");
        require(pollIntervalMs >= 100, "pollIntervalMs must be at least 100, got " + pollIntervalMs);
        require(downloadAttempts >= 1, "downloadAttempts must be at least 1, got " + downloadAttempts);
        require(requestTimeoutMs >= 100, "requestTimeoutMs must be at least 100, got " + requestTimeoutMs);
    }

    /** Defaults: poll every 5 minutes, 5 download requests per poll, 30 s request timeout, the UTC clock. */
    public static UpdateClientConfig of(
            Vin vin, Path dir, Map<EcuSerial, String> hardwareIds, byte[] directorRoot, byte[] imageRoot) {
        return new UpdateClientConfig(
                vin, dir, hardwareIds, directorRoot, imageRoot, 300_000, 5, 30_000, Clock.systemUTC());
    }

    /** This config with another poll interval. */
    public UpdateClientConfig withPollIntervalMs(long intervalMs) {
        return new UpdateClientConfig(
                vin, dir, hardwareIds, directorRoot, imageRoot, intervalMs, downloadAttempts, requestTimeoutMs, clock);
    }

    /** This config with another Uptane expiry clock. */
    public UpdateClientConfig withClock(Clock expiryClock) {
        return new UpdateClientConfig(
                vin,
                dir,
                hardwareIds,
                directorRoot,
                imageRoot,
                pollIntervalMs,
                downloadAttempts,
                requestTimeoutMs,
                expiryClock);
    }

    @Override
    public byte[] directorRoot() {
        return directorRoot.clone();
    }

    @Override
    public byte[] imageRoot() {
        return imageRoot.clone();
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new AgentException("invalid_update_config", problem, false);
        }
    }
}
