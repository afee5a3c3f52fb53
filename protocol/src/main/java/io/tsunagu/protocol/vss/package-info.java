/**
 * The COVESA Vehicle Signal Specification (VSS) catalog: which signals exist, their datatypes, units, ranges and
 * allowed values. {@link io.tsunagu.protocol.vss.SignalCatalog#vss6()} is the bundled VSS 6.0 tree; a user's own
 * catalog or an overlay in the same JSON shape can replace or extend it. The catalog also validates raw decoded values
 * into typed {@link io.tsunagu.protocol.telemetry.SignalValue}s on the ingest hot path.
 */
@NullMarked
package io.tsunagu.protocol.vss;

import org.jspecify.annotations.NullMarked;
