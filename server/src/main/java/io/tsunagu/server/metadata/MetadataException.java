package io.tsunagu.server.metadata;

import io.tsunagu.protocol.TsunaguException;

/** The metadata database could not be opened or migrated; retriable because the database may come back. */
public final class MetadataException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    public MetadataException(String message, Throwable cause) {
        super("metadata_unavailable", message, true, cause);
    }
}
