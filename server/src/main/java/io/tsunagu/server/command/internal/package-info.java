/**
 * Implementation of remote commands: the JDBC store (commands, counters), the action catalogue with its parameter
 * rules and twin mappings, the per-car delivery conductor, and owner-only key files.
 */
@NullMarked
package io.tsunagu.server.command.internal;

import org.jspecify.annotations.NullMarked;
