/**
 * The fleet simulator: many {@link io.tsunagu.sim.model.EvModel} cars in one JVM, each streaming through its own
 * {@link io.tsunagu.agent.VehicleAgent}, on a simulated clock that can run faster than real time. Cars get their
 * identity and credentials from a {@link io.tsunagu.sim.Provisioner} the caller supplies.
 */
@NullMarked
package io.tsunagu.sim;

import org.jspecify.annotations.NullMarked;
