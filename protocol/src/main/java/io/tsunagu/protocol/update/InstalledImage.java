package io.tsunagu.protocol.update;

/**
 * What an ECU runs now, as the car last recorded it: the basis of the image rollback check.
 *
 * @param releaseCounter the image repository's {@code release_counter} of the installed image
 * @param sha256 lower-case hex SHA-256 of the installed image
 */
public record InstalledImage(String targetName, long releaseCounter, String sha256) {}
