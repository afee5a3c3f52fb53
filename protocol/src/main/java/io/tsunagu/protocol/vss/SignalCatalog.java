package io.tsunagu.protocol.vss;

import io.tsunagu.protocol.telemetry.RejectReason;
import io.tsunagu.protocol.vss.ValidationResult.Rejected;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The signals a car may send, by VSS path, and the checks that turn a raw decoded value into a typed {@link
 * io.tsunagu.protocol.telemetry.SignalValue}. Branches are kept only to explain rejections; they are not signals.
 *
 * <p>Immutable and safe for any number of threads. {@link #validate} is on the ingest hot path: one hash lookup plus a
 * type switch; no regex, and it allocates only the accepted value.
 */
public final class SignalCatalog {
    private static final String BUNDLED_RESOURCE = "vss_release_6.0.json";
    private static final int MAX_SHOWN_PATH = 200;

    private final Map<String, SignalRule> rules;
    private final List<SignalSpec> signals;
    private final Set<String> branches;

    private SignalCatalog(Map<String, SignalSpec> specs, Set<String> branches) {
        Map<String, SignalRule> byPath = new HashMap<>(specs.size() * 2);
        specs.forEach((path, spec) -> byPath.put(path, new SignalRule(spec)));
        this.rules = byPath;
        this.signals = List.copyOf(specs.values());
        this.branches = Set.copyOf(branches);
    }

    /** Loaded on first use of {@link #vss6()}; the catalog is immutable, so sharing one instance is safe. */
    private static final class Bundled {
        static final SignalCatalog VSS6 = readBundled();
    }

    /** The COVESA VSS 6.0 catalog shipped with Tsunagu (1263 signals), loaded once. */
    public static SignalCatalog vss6() {
        return Bundled.VSS6;
    }

    private static SignalCatalog readBundled() {
        try (InputStream in = SignalCatalog.class.getResourceAsStream(BUNDLED_RESOURCE)) {
            if (in == null) {
                throw new InvalidCatalogException("bundled resource " + BUNDLED_RESOURCE + " is missing");
            }
            return read(in, BUNDLED_RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a complete catalog in the VSS JSON tree format. The stream is read but not closed.
     *
     * @throws InvalidCatalogException naming the node and the problem
     */
    public static SignalCatalog load(InputStream catalogJson) {
        return read(catalogJson, "catalog");
    }

    /** Reads a complete catalog from a file; errors name the file. */
    public static SignalCatalog load(Path catalogFile) {
        try (InputStream in = Files.newInputStream(catalogFile)) {
            return read(in, catalogFile.toString());
        } catch (IOException e) {
            throw new InvalidCatalogException(catalogFile + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static SignalCatalog read(InputStream in, String source) {
        CatalogReader reader = CatalogReader.base(source).read(in);
        return new SignalCatalog(reader.signals(), reader.branches());
    }

    /**
     * A new catalog with a VSS overlay applied: same JSON tree shape; a node may add new signals and branches (a node
     * with {@code children} but no {@code type} is an implicit branch) or set fields of existing signals ({@code
     * null} removes an optional field such as {@code max}). This catalog is unchanged.
     *
     * @throws InvalidCatalogException naming the node and the problem
     */
    public SignalCatalog withOverlay(InputStream overlayJson) {
        return overlay(overlayJson, "overlay");
    }

    /** As {@link #withOverlay(InputStream)}, from a file; errors name the file. */
    public SignalCatalog withOverlay(Path overlayFile) {
        try (InputStream in = Files.newInputStream(overlayFile)) {
            return overlay(in, overlayFile.toString());
        } catch (IOException e) {
            throw new InvalidCatalogException(overlayFile + ": cannot read: " + e.getMessage(), e);
        }
    }

    private SignalCatalog overlay(InputStream in, String source) {
        Map<String, SignalSpec> specs = new LinkedHashMap<>();
        signals.forEach(spec -> specs.put(spec.path(), spec));
        CatalogReader reader = CatalogReader.overlay(specs, branches, source).read(in);
        return new SignalCatalog(reader.signals(), reader.branches());
    }

    /** The signal at {@code path}; empty for unknown paths and branches. */
    public Optional<SignalSpec> find(String path) {
        SignalRule rule = rules.get(path);
        return rule == null ? Optional.empty() : Optional.of(rule.spec());
    }

    /** True if {@code path} is a branch (a grouping such as {@code Vehicle.Cabin}), not a signal. */
    public boolean isBranch(String path) {
        return branches.contains(path);
    }

    /** Number of signals (leaves). */
    public int size() {
        return signals.size();
    }

    /** All signals, in catalog order. */
    public Collection<SignalSpec> signals() {
        return signals;
    }

    /**
     * Checks a raw decoded value ({@code Double}, {@code Long}, {@code Boolean}, {@code String} or a {@code List} of
     * those) against the signal at {@code path}. Integers are accepted as {@code Long} or as an integral {@code
     * Double}; arrays are checked element by element. Rejection messages name the path and what was wrong.
     */
    public ValidationResult validate(String path, Object rawValue) {
        SignalRule rule = rules.get(path);
        if (rule != null) {
            return rule.check(rawValue);
        }
        if (branches.contains(path)) {
            return new Rejected(RejectReason.UNKNOWN_SIGNAL, path + ": is a branch, not a signal");
        }
        // The path comes from the car: keep an absurdly long one from bloating logs and error bodies.
        String shown = path.length() <= MAX_SHOWN_PATH ? path : path.substring(0, MAX_SHOWN_PATH) + "...";
        return new Rejected(RejectReason.UNKNOWN_SIGNAL, shown + ": unknown signal (not in the catalog)");
    }
}
