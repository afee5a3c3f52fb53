package io.tsunagu.server.command.internal;

import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.server.command.Command;
import io.tsunagu.server.twin.TwinStore;
import io.tsunagu.server.twin.TwinValue;
import java.util.Map;

/**
 * What a command means for the twin: on creation its actuator targets become desired values (so the twin's delta
 * shows them until the car reports matching values); when it fails, is refused, expires or is cancelled they are
 * withdrawn again, unless a later command has set the same path since.
 */
public final class TwinIntents {
    private final TwinStore twins;
    private final ActionCatalog catalog;

    public TwinIntents(TwinStore twins, ActionCatalog catalog) {
        this.twins = twins;
        this.catalog = catalog;
    }

    /** The desired values {@code command} implies (none for actions without a VSS actuator). */
    public Map<String, SignalValue> desired(Command command) {
        return catalog.find(command.action())
                .map(action -> action.desired().apply(command.params()))
                .orElse(Map.of());
    }

    public void apply(Command command) {
        desired(command).forEach((path, value) -> twins.setDesired(command.vin(), path, value, command.createdAt()));
    }

    public void withdraw(Command command) {
        long setAtMs = command.createdAt().toEpochMilli();
        twins.get(command.vin())
                .ifPresent(twin -> desired(command).forEach((path, value) -> {
                    TwinValue current = twin.desired().get(path);
                    if (current != null
                            && current.tsMs() == setAtMs
                            && current.value().equals(value)) {
                        twins.clearDesired(command.vin(), path);
                    }
                }));
    }
}
