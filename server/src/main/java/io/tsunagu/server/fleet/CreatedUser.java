package io.tsunagu.server.fleet;

/**
 * A new API user and its bearer token. The token is shown only here: the server keeps just its SHA-256 hash.
 * {@link #toString()} leaves the token out.
 */
public record CreatedUser(Principal principal, String token) {

    @Override
    public String toString() {
        return "CreatedUser[principal=" + principal + "]";
    }
}
