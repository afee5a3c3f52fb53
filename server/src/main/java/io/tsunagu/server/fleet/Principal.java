package io.tsunagu.server.fleet;

/** An authenticated API user. */
public record Principal(String name, Role role) {

    /** Admins and operators see every vehicle; an owner sees only vehicles whose owner is exactly its name. */
    public boolean canSee(Vehicle vehicle) {
        return canSeeVehicleOf(vehicle.owner());
    }

    /** Whether this user may see a vehicle whose owner is {@code owner} (the rule of {@link #canSee(Vehicle)}). */
    public boolean canSeeVehicleOf(String owner) {
        return switch (role) {
            case ADMIN, OPERATOR -> true;
            case OWNER -> owner.equals(name);
        };
    }
}
