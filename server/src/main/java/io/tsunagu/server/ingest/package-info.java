/**
 * The one entrance for everything a car sends. {@link io.tsunagu.server.ingest.IngestPipeline} runs the ordered
 * stages size check → rate limit → decode → validate → de-duplicate → durable group commit → fan-out (twin), and only
 * then lets the MQTT gateway acknowledge. Bad input is rejected with a {@link
 * io.tsunagu.protocol.telemetry.RejectReason}, logged, counted and kept per car in the {@link
 * io.tsunagu.server.ingest.RejectionLog}.
 */
@NullMarked
package io.tsunagu.server.ingest;

import org.jspecify.annotations.NullMarked;
