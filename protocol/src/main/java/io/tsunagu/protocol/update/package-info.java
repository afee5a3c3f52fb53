/**
 * Signed OTA metadata, Uptane style, shared by cloud and car. The wire format is TUF 1.0 JSON ({@link
 * io.tsunagu.protocol.update.SignedMetadata} over {@link io.tsunagu.protocol.update.CanonicalJson}) with the four
 * roles of each repository, director and image repository, and Uptane's ECU fields in {@code custom}. The server
 * signs with {@link io.tsunagu.protocol.update.RepositorySigner}; the car runs full verification with {@link
 * io.tsunagu.protocol.update.UpdateVerifier} and downloads through a {@link io.tsunagu.protocol.update.DownloadGuard};
 * every refusal carries an {@link io.tsunagu.protocol.update.UpdateRefusalReason}.
 */
@NullMarked
package io.tsunagu.protocol.update;

import org.jspecify.annotations.NullMarked;
