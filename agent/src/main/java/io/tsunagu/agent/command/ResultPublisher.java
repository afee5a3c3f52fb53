package io.tsunagu.agent.command;

import io.tsunagu.protocol.wire.CommandResult;
import java.util.concurrent.CompletionStage;

/** Sends one {@link CommandResult} to {@code vehicles/{vin}/commands/result} with QoS 1. */
@FunctionalInterface
public interface ResultPublisher {
    /**
     * Completes normally once the cloud acknowledged the result (PUBACK with a success code), exceptionally when it
     * was not delivered (offline, refused); it must not throw.
     */
    CompletionStage<?> publish(CommandResult result);
}
