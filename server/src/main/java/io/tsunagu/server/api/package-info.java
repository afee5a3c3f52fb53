/**
 * The REST API under {@code /api/v1} on Helidon SE: bearer-token authentication, role checks (an owner sees only own
 * cars; a car the caller may not see reads as not found), JSON errors {@code {"code", "message"}}, the hand-kept
 * OpenAPI document at {@code /openapi.yaml} and Prometheus metrics at {@code /metrics}.
 */
@NullMarked
package io.tsunagu.server.api;

import org.jspecify.annotations.NullMarked;
