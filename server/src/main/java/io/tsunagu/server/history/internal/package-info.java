/**
 * Implementation parts of the history store that both storage engines can share: how a typed value maps onto a
 * number-or-text column pair, the opaque page cursor, and the page assembly that gives a stable order and exact
 * continuation. Not an API: other packages use {@link io.tsunagu.server.history.SampleStore}.
 */
@NullMarked
package io.tsunagu.server.history.internal;

import org.jspecify.annotations.NullMarked;
