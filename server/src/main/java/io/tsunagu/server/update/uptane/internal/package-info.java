/**
 * Implementation of the Uptane repositories: role key files, the SQL rows of signed metadata, and the signing
 * repository both the image repository and the director build on.
 */
@NullMarked
package io.tsunagu.server.update.uptane.internal;

import org.jspecify.annotations.NullMarked;
