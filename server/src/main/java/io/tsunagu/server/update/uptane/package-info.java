/**
 * The server's two Uptane repositories, built on {@link io.tsunagu.protocol.update.RepositorySigner}: the {@link
 * io.tsunagu.server.update.uptane.ImageRepository} (every released image as a target) and the {@link
 * io.tsunagu.server.update.uptane.DirectorRepository} (per car, which image each ECU must run, from the car's
 * {@link io.tsunagu.server.update.uptane.EcuInventory}). Keys are created at first start under {@code
 * <data>/keys/uptane/}, signed metadata lives in the metadata database, and a refresher re-signs it before it expires.
 */
@NullMarked
package io.tsunagu.server.update.uptane;

import org.jspecify.annotations.NullMarked;
