/**
 * The digital twin: the latest reported value of every signal of every car, what an operator wants the car to have
 * (desired) and the difference between the two (delta), plus whether the car is online. Held in memory, updated by
 * ingest for every accepted batch and rebuilt from the history's latest values at start.
 */
@NullMarked
package io.tsunagu.server.twin;

import org.jspecify.annotations.NullMarked;
