/**
 * The agent's durable offline buffer: telemetry frames wait here, keyed by their per-car sequence number, until the
 * cloud has acknowledged them. Backed by H2's MVStore, so frames and the sequence counter survive a crash or restart
 * of the agent.
 */
@NullMarked
package io.tsunagu.agent.buffer;

import org.jspecify.annotations.NullMarked;
