/** Tsunagu app module root. */
@NullMarked
package io.tsunagu.app;

import org.jspecify.annotations.NullMarked;
