package io.tsunagu.protocol.vss;

import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;

/**
 * One signal (leaf) of the catalog.
 *
 * @param path full VSS path, e.g. {@code Vehicle.Speed}
 * @param kind sensor, actuator or attribute
 * @param datatype the VSS datatype of its values
 * @param unit the VSS unit, e.g. {@code km/h}; values are always in this unit
 * @param min smallest valid value, in {@code unit}
 * @param max largest valid value, in {@code unit}
 * @param allowed the only valid values (enumerations); empty when any value of the datatype is valid
 * @param description what the signal means, from the specification
 */
public record SignalSpec(
        String path,
        SignalKind kind,
        VssDatatype datatype,
        Optional<String> unit,
        OptionalDouble min,
        OptionalDouble max,
        List<String> allowed,
        String description) {
    public SignalSpec {
        allowed = List.copyOf(allowed);
    }
}
