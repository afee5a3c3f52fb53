/**
 * Telemetry as it crosses the air: the typed {@link io.tsunagu.protocol.telemetry.Sample}, the JSON and protobuf
 * payload codecs of {@code vehicles/{vin}/telemetry}, and the reasons a value can be rejected.
 */
@NullMarked
package io.tsunagu.protocol.telemetry;

import org.jspecify.annotations.NullMarked;
