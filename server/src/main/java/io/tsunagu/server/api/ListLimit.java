package io.tsunagu.server.api;

import io.helidon.webserver.http.ServerRequest;
import java.util.Optional;

/**
 * The {@code limit} query parameter of a list route: its default when absent, otherwise an integer from 1 to the
 * route's maximum; anything else is a 400 {@code invalid_limit} naming the range and the value received.
 *
 * @param defaultLimit the answer's size when the request names none
 * @param maxLimit the largest size a request may ask for
 */
record ListLimit(int defaultLimit, int maxLimit) {
    ListLimit {
        if (defaultLimit < 1 || maxLimit < defaultLimit) {
            throw new IllegalArgumentException("need 1 <= default <= max, got " + defaultLimit + ", " + maxLimit);
        }
    }

    /** The request's limit, or the 400 error that says what was wrong with it. */
    int of(ServerRequest req) {
        return parse(req.query().first("limit").asOptional());
    }

    int parse(Optional<String> raw) {
        try {
            int limit = raw.map(Integer::parseInt).orElse(defaultLimit);
            if (limit >= 1 && limit <= maxLimit) {
                return limit;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.badRequest("invalid_limit", "'limit' must be 1.." + maxLimit + ", got " + raw.orElse(""));
    }
}
