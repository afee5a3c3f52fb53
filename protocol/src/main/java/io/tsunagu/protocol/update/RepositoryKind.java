package io.tsunagu.protocol.update;

/** The two Uptane repositories a primary ECU checks against each other. */
public enum RepositoryKind {
    /** Per-car instructions: which image each ECU should run (online keys, Uptane 5.2.3). */
    DIRECTOR,
    /** Every released image with its hardware ids and release counter (offline targets key). */
    IMAGE
}
