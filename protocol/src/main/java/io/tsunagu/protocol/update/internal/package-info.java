/**
 * The verification steps behind {@link io.tsunagu.protocol.update.UpdateVerifier}: the TUF chain of one repository,
 * the signature threshold rule, the Uptane cross-check of director and image repository, and key encodings. Not an
 * API: other modules use the parent package.
 */
@NullMarked
package io.tsunagu.protocol.update.internal;

import org.jspecify.annotations.NullMarked;
