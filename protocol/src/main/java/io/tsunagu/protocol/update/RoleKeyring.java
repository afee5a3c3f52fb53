package io.tsunagu.protocol.update;

import java.util.List;

/**
 * The private keys that sign for one role and the threshold root will demand, as a {@link RepositorySigner} holds
 * them.
 */
public record RoleKeyring(List<SigningKey> keys, int threshold) {
    public RoleKeyring {
        keys = List.copyOf(keys);
        if (threshold < 1 || threshold > keys.size()) {
            throw new IllegalArgumentException("threshold " + threshold + " must be between 1 and " + keys.size());
        }
    }

    /** One key, threshold 1. */
    public static RoleKeyring single(SigningKey key) {
        return new RoleKeyring(List.of(key), 1);
    }

    List<TufKey> publicKeys() {
        return keys.stream().map(SigningKey::publicKey).toList();
    }
}
