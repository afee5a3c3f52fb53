/** Tsunagu bench module root. */
@NullMarked
package io.tsunagu.bench;

import org.jspecify.annotations.NullMarked;
