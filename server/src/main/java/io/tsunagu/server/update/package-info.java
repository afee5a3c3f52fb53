/**
 * Over-the-air updates, cloud side. {@link io.tsunagu.server.update.ArtifactStore} keeps software images
 * content-addressed by SHA-256 under {@code <data>/artifacts/}, with their metadata ({@link
 * io.tsunagu.server.update.Artifact}) in the {@code artifacts} tables. Uploads are streamed (hashed while written,
 * fsynced, renamed into place), so an image of any size never sits in memory and a cut upload leaves nothing behind;
 * reads open a {@link io.tsunagu.server.update.ByteRange} of the stored file, which serves HTTP range requests
 * ({@link io.tsunagu.server.update.RangeRequest}) so an interrupted download resumes.
 */
@NullMarked
package io.tsunagu.server.update;

import org.jspecify.annotations.NullMarked;
