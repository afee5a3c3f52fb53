package io.tsunagu.server.update.rollout;

import io.tsunagu.protocol.Vin;
import java.time.Instant;

/** What a car runs: the distribution of its last successful action (DDI {@code installedBase}). */
public record InstalledBase(Vin vin, long actionId, Distribution distribution, Instant installedAt) {}
