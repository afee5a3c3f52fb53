package io.tsunagu.server.twin;

import io.tsunagu.protocol.telemetry.SignalValue;

/**
 * One signal value in a twin.
 *
 * @param value the value
 * @param tsMs when it was sampled (reported) or requested (desired), epoch milliseconds UTC
 */
public record TwinValue(SignalValue value, long tsMs) {}
