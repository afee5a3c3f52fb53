/**
 * The MQTT 5 / 3.1.1 gateway: an embedded HiveMQ CE broker on a TLS port that requires client certificates, and the
 * embedded extension that authenticates each car by its certificate (CN = VIN, issued by the fleet CA, not revoked),
 * confines it to its own topics, and takes telemetry off the broker into the {@link
 * io.tsunagu.server.ingest.IngestPipeline}, acknowledging QoS 1 only once the data is durable. The broker itself
 * stores no telemetry.
 */
@NullMarked
package io.tsunagu.server.ingest.mqtt;

import org.jspecify.annotations.NullMarked;
