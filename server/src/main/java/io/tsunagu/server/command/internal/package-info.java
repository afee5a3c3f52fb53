/**
 * Implementation of remote commands: the JDBC store (commands, counters), the action catalogue with its parameter
 * rules and twin mappings, the per-car delivery conductor, owner-only key files, the paired-keys table and the edge check
 * of user-signed envelopes.
 */
@NullMarked
package io.tsunagu.server.command.internal;

import org.jspecify.annotations.NullMarked;
