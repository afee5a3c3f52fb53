package io.tsunagu.agent.update;

/**
 * The result of a health check of a trial boot.
 *
 * @param healthy true to commit the trial slot, false to roll back
 * @param detail why it is unhealthy (reported in the {@code rolled_back} reason); empty when healthy
 */
public record HealthVerdict(boolean healthy, String detail) {
    /** The trial slot works. */
    public static HealthVerdict ok() {
        return new HealthVerdict(true, "");
    }

    /** The trial slot does not work, because of {@code detail}. */
    public static HealthVerdict failed(String detail) {
        return new HealthVerdict(false, detail);
    }
}
