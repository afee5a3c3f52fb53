package io.tsunagu.agent.update.internal;

/** The life cycle of one slot, as the boot-control record keeps it. */
public enum SlotState {
    /** No image (never written, or discarded). */
    EMPTY,
    /** An image is being written; the content is not to be trusted. A crash here discards the slot. */
    WRITING,
    /** Written and verified, booted on trial, not yet committed. */
    TRIAL,
    /** Known to boot and pass the health check (the active slot, or the previous one kept as fallback). */
    GOOD,
    /** Failed on trial; never booted again, overwritten by the next install. */
    BAD
}
