package io.tsunagu.server.update;

import io.tsunagu.protocol.TsunaguException;

/** An artifact operation that cannot be served; {@link #kind()} says which HTTP status fits. */
public final class ArtifactException extends TsunaguException {
    private static final long serialVersionUID = 1L;

    /** What kind of problem, for the API's status mapping. */
    public enum Kind {
        /** The request is wrong (400): missing version, empty body, checksum mismatch, malformed SHA-256. */
        INVALID,
        /** The client's connection broke while its body was being read: no one is left to answer; retriable. */
        INTERRUPTED,
        /** The content is larger than the configured limit (413). */
        TOO_LARGE,
        /** No artifact with this SHA-256 (404). */
        NOT_FOUND,
        /** The same content is stored already with other metadata (409). */
        CONFLICT,
        /** The disk has no room for the content (507); retriable once space is freed. */
        NO_SPACE,
        /** Storage failed (503); retriable. */
        STORAGE
    }

    private final Kind kind;

    public ArtifactException(Kind kind, String code, String message) {
        super(code, message, retriable(kind));
        this.kind = kind;
    }

    public ArtifactException(Kind kind, String code, String message, Throwable cause) {
        super(code, message, retriable(kind), cause);
        this.kind = kind;
    }

    private static boolean retriable(Kind kind) {
        return kind == Kind.INTERRUPTED || kind == Kind.NO_SPACE || kind == Kind.STORAGE;
    }

    public Kind kind() {
        return kind;
    }

    /** A client error (400) with a stable code. */
    public static ArtifactException invalid(String code, String message) {
        return new ArtifactException(Kind.INVALID, code, message);
    }

    /** The storage failed (503, retriable). */
    public static ArtifactException storage(String message, Throwable cause) {
        return new ArtifactException(Kind.STORAGE, "artifact_storage_failed", message, cause);
    }
}
