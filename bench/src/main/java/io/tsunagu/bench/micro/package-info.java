/**
 * JMH micro-benchmarks of the ingest hot path: payload decoding and encoding, catalog validation, twin updates,
 * history appends and the whole pipeline without MQTT. Each benchmark measures Tsunagu's code next to a baseline in
 * the same run (the bare library, the raw storage engine, a discarding sink); inputs come from the simulator's EV model,
 * twenty realistic VSS signals per frame. Run them with {@link io.tsunagu.bench.JmhMain}.
 */
@NullMarked
package io.tsunagu.bench.micro;

import org.jspecify.annotations.NullMarked;
