package io.tsunagu.protocol.update;

import java.util.List;

/**
 * A role entry of root metadata: which keys may sign for the role and how many distinct ones must.
 *
 * @param threshold at least 1 and at most the number of key ids
 */
public record RoleKeys(List<String> keyIds, int threshold) {
    public RoleKeys {
        keyIds = List.copyOf(keyIds);
        if (threshold < 1 || threshold > keyIds.size()) {
            throw new IllegalArgumentException(
                    "threshold " + threshold + " must be between 1 and the " + keyIds.size() + " key ids");
        }
        if (keyIds.stream().distinct().count() != keyIds.size()) {
            throw new IllegalArgumentException("duplicate key id in " + keyIds);
        }
    }
}
