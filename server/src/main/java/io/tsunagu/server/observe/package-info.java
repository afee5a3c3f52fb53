/**
 * Operational visibility: named counters and gauges exposed in the Prometheus text format at {@code /metrics}.
 * Capabilities register what they count here; nothing in this package knows about vehicles.
 */
@NullMarked
package io.tsunagu.server.observe;

import org.jspecify.annotations.NullMarked;
