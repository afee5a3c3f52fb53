/**
 * Implementation details of the fleet package: X.509 certificate building and files written with owner-only
 * permissions. Not an API; only {@code io.tsunagu.server.fleet} uses it.
 */
@NullMarked
package io.tsunagu.server.fleet.internal;

import org.jspecify.annotations.NullMarked;
