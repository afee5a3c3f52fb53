package io.tsunagu.server.update.ddi;

import java.time.Duration;
import java.util.regex.Pattern;

/**
 * Settings of the DDI device API.
 *
 * @param tenant the one tenant this server serves, the {@code {tenant}} of {@code /{tenant}/controller/v1/...}
 *     (compared case-insensitively, as hawkBit does); requests for any other tenant answer 404
 * @param pollingSleep what {@code config.polling.sleep} tells devices: how long to wait between polls
 */
public record DdiSettings(String tenant, Duration pollingSleep) {
    /** hawkBit's default tenant name, which suricatta and rauc-hawkbit-updater examples use. */
    public static final String DEFAULT_TENANT = "DEFAULT";

    public static final Duration DEFAULT_POLLING_SLEEP = Duration.ofMinutes(5);
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

    public DdiSettings {
        if (!TENANT.matcher(tenant).matches()) {
            throw new IllegalArgumentException(
                    "ddi.tenant must be 1-64 characters of A-Z a-z 0-9 _ . -, got " + tenant);
        }
        DdiPolling.of(pollingSleep); // validates the range the HH:MM:SS form can carry
    }

    public static DdiSettings defaults() {
        return new DdiSettings(DEFAULT_TENANT, DEFAULT_POLLING_SLEEP);
    }

    /** True if {@code requested} names this server's tenant. */
    public boolean servesTenant(String requested) {
        return tenant.equalsIgnoreCase(requested);
    }
}
