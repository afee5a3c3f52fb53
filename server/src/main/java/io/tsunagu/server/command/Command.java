package io.tsunagu.server.command;

import io.tsunagu.protocol.Vin;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * One command as stored: what was asked, by whom, how it was signed, and where it is now.
 *
 * @param id UUID, also inside the signed body
 * @param seq order of this car's commands (strictly increasing per car); delivery follows it
 * @param params validated parameters as they travel in the signed body (values are strings)
 * @param reason machine-readable reason for {@code failed}/{@code refused}, e.g. {@code not_plugged_in}
 * @param keyCounter the signing key's counter in the envelope (replay protection in the car)
 * @param attempts how often the envelope was published
 */
public record Command(
        String id,
        Vin vin,
        long seq,
        String action,
        Map<String, String> params,
        CommandState state,
        Optional<String> reason,
        Optional<String> message,
        String requestedBy,
        String keyId,
        long keyCounter,
        int attempts,
        Instant createdAt,
        Instant expiresAt,
        Optional<Instant> sentAt,
        Optional<Instant> deliveredAt,
        Optional<Instant> finishedAt) {

    public Command {
        params = Map.copyOf(params);
    }
}
