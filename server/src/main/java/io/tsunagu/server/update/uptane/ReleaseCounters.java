package io.tsunagu.server.update.uptane;

import java.util.OptionalLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Maps an image's version string to Uptane's {@code release_counter} (Standard 5.2.3: an ECU never installs an image
 * with a lower counter). A version {@code [v]MAJOR[.MINOR[.PATCH]]}, optionally followed by a {@code -pre-release} or
 * {@code +build} suffix, maps to {@code MAJOR * 10^12 + MINOR * 10^6 + PATCH} (minor and patch below 10^6, major below
 * 9,000,000), so the counter orders like the numbers. A pre-release suffix starts with a letter ({@code -rc1}, not
 * {@code -12-01}, so a date is not read as a year). The suffix is ignored: {@code 2.1.0-rc1} and {@code 2.1.0} share a
 * counter, so a car may move between them both ways. Any other version (a date, a git hash, four parts) has no
 * counter; the operator gives one explicitly when adding the image.
 */
public final class ReleaseCounters {
    private static final Pattern VERSION =
            Pattern.compile("[vV]?(\\d{1,7})(?:\\.(\\d{1,6}))?(?:\\.(\\d{1,6}))?(?:-[A-Za-z].*|\\+.*)?");
    private static final long MAJOR = 1_000_000_000_000L;
    private static final long MINOR = 1_000_000L;
    private static final long MAX_MAJOR = 9_000_000L;

    private ReleaseCounters() {}

    /** The counter for {@code version}, or empty if it does not have the shape above. */
    public static OptionalLong fromVersion(String version) {
        Matcher m = VERSION.matcher(version);
        if (!m.matches()) {
            return OptionalLong.empty();
        }
        long major = Long.parseLong(m.group(1));
        if (major >= MAX_MAJOR) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(major * MAJOR + part(m.group(2)) * MINOR + part(m.group(3)));
    }

    private static long part(@Nullable String digits) {
        return digits == null ? 0 : Long.parseLong(digits);
    }
}
