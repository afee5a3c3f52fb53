/**
 * The Tsunagu cloud. One package per capability ({@code fleet}, {@code ingest}, {@code twin}, {@code history},
 * {@code api}); {@link io.tsunagu.server.TsunaguServer} composes them with plain constructors.
 */
@NullMarked
package io.tsunagu.server;

import org.jspecify.annotations.NullMarked;
