/**
 * What crosses the air between car and cloud. The root package holds the identifiers both sides share ({@link
 * io.tsunagu.protocol.Vin}) and the MQTT topic contract ({@link io.tsunagu.protocol.Topics}); sub-packages hold the
 * VSS catalog and the telemetry payload formats.
 */
@NullMarked
package io.tsunagu.protocol;

import org.jspecify.annotations.NullMarked;
