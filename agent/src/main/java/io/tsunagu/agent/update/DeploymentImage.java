package io.tsunagu.agent.update;

import java.net.URI;

/**
 * One image an action names (hawkBit DDI: an artifact of a chunk). The car installs only what the Uptane director
 * also names; this is where to fetch it and what version to call it.
 *
 * @param module the software module's name (DDI chunk {@code name})
 * @param version the software module's version (DDI chunk {@code version})
 * @param sha256 lower-case hex SHA-256 of the artifact
 * @param lengthBytes the artifact's size
 * @param download where to fetch it (DDI {@code _links.download}); HTTP range requests resume a cut download
 */
public record DeploymentImage(String module, String version, String sha256, long lengthBytes, URI download) {}
