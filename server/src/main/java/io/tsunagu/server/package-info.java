/** Tsunagu server module root. */
@NullMarked
package io.tsunagu.server;

import org.jspecify.annotations.NullMarked;
