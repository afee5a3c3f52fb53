/**
 * Remote commands in the car: {@link io.tsunagu.agent.command.CommandExecutor} verifies each signed envelope from
 * {@code vehicles/{vin}/commands}, records it durably in the {@link io.tsunagu.agent.command.CommandStore} before it
 * runs (so a re-delivery is never executed twice, even across restarts), runs it through an {@link
 * io.tsunagu.agent.command.ActuatorHandler} and reports {@code CommandResult}s on {@code vehicles/{vin}/commands/result}.
 * Pairing a user key ({@code keys.pair}) needs an in-car {@link io.tsunagu.agent.command.PairingConfirmation}; while
 * one is paired, the fleet key may only wake, refresh and manage keys, and its {@code keys.revoke} needs an in-car
 * {@link io.tsunagu.agent.command.RevocationConfirmation}.
 */
@NullMarked
package io.tsunagu.agent.command;

import org.jspecify.annotations.NullMarked;
