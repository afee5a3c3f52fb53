package io.tsunagu.server.fleet;

/** An authenticated API user. */
public record Principal(String name, Role role) {

    /** Admins and operators see every vehicle; an owner sees only vehicles whose owner is exactly its name. */
    public boolean canSee(Vehicle vehicle) {
        return switch (role) {
            case ADMIN, OPERATOR -> true;
            case OWNER -> vehicle.owner().equals(name);
        };
    }
}
