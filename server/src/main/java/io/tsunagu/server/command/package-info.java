/**
 * Remote commands, cloud side: {@link io.tsunagu.server.command.CommandService} validates a request against the
 * action catalogue, signs it with the fleet key ({@link io.tsunagu.server.command.FleetCommandKey}), stores it durably,
 * delivers it in order when the car is reachable, tracks it through its {@link
 * io.tsunagu.server.command.CommandState}s from the car's results, and keeps an {@link
 * io.tsunagu.server.command.AuditLog}. Envelopes a user signed on their own device with a {@link
 * io.tsunagu.server.command.PairedKey} are checked and relayed unchanged, never re-signed. Delivery never relies on the broker's session queue: the table is the queue.
 */
@NullMarked
package io.tsunagu.server.command;

import org.jspecify.annotations.NullMarked;
