/**
 * A deterministic physical model of one electric car: drive cycles along real Munich streets, road-load traction
 * power, HVAC, battery energy, voltage and temperature, tyres and charging sessions. {@link
 * io.tsunagu.sim.model.EvModel} is stepped in simulated seconds and reports its state as VSS 6.0 signals.
 */
@NullMarked
package io.tsunagu.sim.model;

import org.jspecify.annotations.NullMarked;
