package io.tsunagu.agent.update;

/** One of the two slots (partitions) of an ECU's A/B system. */
public enum Slot {
    A,
    B;

    /** The other slot: the inactive one when this one is active. */
    public Slot other() {
        return this == A ? B : A;
    }
}
