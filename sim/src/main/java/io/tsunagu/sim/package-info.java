/** Tsunagu sim module root. */
@NullMarked
package io.tsunagu.sim;

import org.jspecify.annotations.NullMarked;
