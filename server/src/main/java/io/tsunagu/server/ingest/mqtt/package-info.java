/**
 * The MQTT 5 / 3.1.1 gateway, Tsunagu's own on Netty's MQTT codec: a TLS port that requires client certificates
 * chaining to the fleet CA, authentication of each car by its certificate (CN = VIN = client id, issued, not revoked),
 * confinement to its own topics, and telemetry handed to the {@link io.tsunagu.server.ingest.IngestPipeline} with
 * many publishes in flight per connection, each acknowledged (in order) only once its data is durable. The gateway
 * stores nothing.
 */
@NullMarked
package io.tsunagu.server.ingest.mqtt;

import org.jspecify.annotations.NullMarked;
