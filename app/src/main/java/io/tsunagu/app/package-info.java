/**
 * The {@code tsunagu} command line: {@code demo}, {@code server}, {@code sim} and {@code vehicles}. It composes the
 * server, the simulator and the agent, owns the logging backend, and is the only place that calls
 * {@code System.exit}.
 */
@NullMarked
package io.tsunagu.app;

import org.jspecify.annotations.NullMarked;
