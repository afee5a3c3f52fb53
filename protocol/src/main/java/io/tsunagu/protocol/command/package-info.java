/**
 * The signed command envelope shared by cloud and car: {@link io.tsunagu.protocol.command.CommandSigner} signs a
 * command body with Ed25519 or ECDSA P-256 (JDK providers), {@link io.tsunagu.protocol.command.CommandVerifier} checks
 * it in the car and answers a {@link io.tsunagu.protocol.command.RefusalReason} for anything it must not execute.
 */
@NullMarked
package io.tsunagu.protocol.command;

import org.jspecify.annotations.NullMarked;
