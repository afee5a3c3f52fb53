package io.tsunagu.server.command;

import io.tsunagu.protocol.Vin;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A caller's request for a command, not yet validated.
 *
 * @param params parameter values as text (numbers in plain decimal notation)
 * @param expiresAt when the car must no longer execute it; default: now + the action's TTL
 * @param requestedBy the authenticated caller's name (audit, idempotency scope)
 * @param idempotencyKey the {@code Idempotency-Key} header: a retry with the same key returns the first command
 */
public record CommandRequest(
        Vin vin,
        String action,
        Map<String, String> params,
        Optional<Instant> expiresAt,
        String requestedBy,
        Optional<String> idempotencyKey) {

    public CommandRequest {
        params = Map.copyOf(params);
    }
}
