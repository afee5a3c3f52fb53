/**
 * Implementation of the artifact store: the content-addressed files (streamed write with SHA-256, fsync and atomic
 * rename; ranged reads) and the JDBC rows of the {@code artifacts} and {@code artifact_hardware} tables.
 */
@NullMarked
package io.tsunagu.server.update.internal;

import org.jspecify.annotations.NullMarked;
