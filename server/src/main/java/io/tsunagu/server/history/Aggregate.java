package io.tsunagu.server.history;

/**
 * How a downsampled query folds the samples of one signal within one time bucket. {@link #MIN}, {@link #MAX} and
 * {@link #AVG} need a numeric signal (booleans count as 1 and 0); {@link #LAST} works for every signal type and keeps
 * the value's type.
 */
public enum Aggregate {
    MIN,
    MAX,
    AVG,
    LAST;

    /** True if this aggregate computes over numbers and so cannot fold text or list values. */
    public boolean numericOnly() {
        return this != LAST;
    }
}
