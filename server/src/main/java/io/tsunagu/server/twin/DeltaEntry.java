package io.tsunagu.server.twin;

import java.util.Optional;

/**
 * A desired value the car does not report (yet).
 *
 * @param desired what was requested
 * @param reported what the car last reported for that signal, empty if it never did
 */
public record DeltaEntry(TwinValue desired, Optional<TwinValue> reported) {}
