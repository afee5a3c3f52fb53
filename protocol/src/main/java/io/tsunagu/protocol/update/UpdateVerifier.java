package io.tsunagu.protocol.update;

import io.tsunagu.protocol.update.internal.Fields;
import io.tsunagu.protocol.update.internal.RepositoryChain;
import io.tsunagu.protocol.update.internal.TargetMatcher;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Uptane full verification for a primary ECU (Uptane Standard 5.4.4.2). In order: the director's root chain,
 * timestamp, snapshot and targets (TUF 5.3-5.6: thresholds, no rollback, no expiry against the injected clock,
 * consistent versions, lengths and hashes); if the director lists anything, the same for the image repository; then
 * every director target against the image repository and this car's ECUs ({@code TargetMatcher}).
 *
 * <p>All or nothing: any failure throws {@link UpdateRefusedException} and the caller keeps its old state. On success
 * the caller persists {@link VerifiedUpdate#newState()}. Thread-safe (no mutable state).
 */
public final class UpdateVerifier {

    /**
     * Bounds on untrusted input.
     *
     * @param maxRootRotations new roots accepted in one update (TUF suggests 32)
     * @param maxMetadataBytes largest metadata file accepted when no signed length bounds it
     */
    public record Limits(int maxRootRotations, long maxMetadataBytes) {
        public static final Limits DEFAULTS = new Limits(32, 16L * 1024 * 1024);
    }

    private final Map<String, EcuIdentity> ecus;
    private final Clock clock;
    private final Limits limits;

    /** @param ecus every ECU of this car the primary updates (itself included) */
    public UpdateVerifier(List<EcuIdentity> ecus, Clock clock, Limits limits) {
        Map<String, EcuIdentity> bySerial = new LinkedHashMap<>();
        for (EcuIdentity ecu : ecus) {
            if (bySerial.put(ecu.serial(), ecu) != null) {
                throw new IllegalArgumentException("ECU serial " + ecu.serial() + " listed twice");
            }
        }
        this.ecus = Map.copyOf(bySerial);
        this.clock = clock;
        this.limits = limits;
    }

    public UpdateVerifier(List<EcuIdentity> ecus, Clock clock) {
        this(ecus, clock, Limits.DEFAULTS);
    }

    /**
     * Verifies one update cycle's metadata.
     *
     * @param image the image repository's files; may be empty only when the director lists no targets (Uptane lets
     *     the primary skip the image repository then)
     * @throws UpdateRefusedException with the reason the car reports
     */
    public VerifiedUpdate verify(TrustedState trusted, FetchedMetadata director, Optional<FetchedMetadata> image) {
        Instant now = clock.instant();
        RepositoryChain.Result directorResult = chain("director", now).verify(trusted.director(), director);
        if (image.isEmpty()) {
            if (!directorResult.targets().targets().isEmpty()) {
                throw Fields.malformed("director lists targets but no image repository metadata was fetched");
            }
            return new VerifiedUpdate(
                    List.of(), new TrustedState(directorResult.trust(), trusted.image(), trusted.installed()));
        }
        RepositoryChain.Result imageResult = chain("image repository", now).verify(trusted.image(), image.get());
        List<VerifiedTarget> targets =
                new TargetMatcher(ecus, trusted.installed()).match(directorResult.targets(), imageResult.targets());
        return new VerifiedUpdate(
                targets, new TrustedState(directorResult.trust(), imageResult.trust(), trusted.installed()));
    }

    private RepositoryChain chain(String repo, Instant now) {
        return new RepositoryChain(repo, now, limits.maxRootRotations(), limits.maxMetadataBytes());
    }
}
