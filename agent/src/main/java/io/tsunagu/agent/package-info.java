/** Tsunagu agent module root. */
@NullMarked
package io.tsunagu.agent;

import org.jspecify.annotations.NullMarked;
