/**
 * The in-car agent: {@link io.tsunagu.agent.VehicleAgent} records VSS telemetry into a durable offline buffer and
 * streams it to the cloud over MQTT 5 with mutual TLS, reconnecting with jittered backoff. Configure it with {@link
 * io.tsunagu.agent.AgentConfig} and {@link io.tsunagu.agent.AgentCredentials} (PEM).
 */
@NullMarked
package io.tsunagu.agent;

import org.jspecify.annotations.NullMarked;
