package io.tsunagu.protocol.update;

import java.util.HashMap;
import java.util.Map;

/**
 * Everything a primary ECU persists for full verification: trust in both repositories and the image each ECU runs.
 *
 * @param installed by ECU serial; an ECU without an entry has no recorded image (any release counter is accepted)
 */
public record TrustedState(RepositoryTrust director, RepositoryTrust image, Map<String, InstalledImage> installed) {
    public TrustedState {
        installed = Map.copyOf(installed);
    }

    /** The state after {@code target} has been installed on its ECU. */
    public TrustedState withInstalled(VerifiedTarget target) {
        Map<String, InstalledImage> next = new HashMap<>(installed);
        next.put(target.ecuSerial(), new InstalledImage(target.targetName(), target.releaseCounter(), target.sha256()));
        return new TrustedState(director, image, next);
    }
}
