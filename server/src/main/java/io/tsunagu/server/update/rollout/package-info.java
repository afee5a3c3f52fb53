/**
 * OTA rollouts, hawkBit's model: a {@link io.tsunagu.server.update.rollout.Distribution} (the software modules and
 * artifacts for one car model) is rolled out by a {@link io.tsunagu.server.update.rollout.Campaign} to a target set of
 * registered cars, group after group; each car gets an {@link io.tsunagu.server.update.rollout.UpdateAction} with a
 * status history. {@link io.tsunagu.server.update.rollout.RolloutService} is the operator side; {@link
 * io.tsunagu.server.update.rollout.DeviceActions} is the device side that the DDI API and the agent's update client use.
 */
@NullMarked
package io.tsunagu.server.update.rollout;

import org.jspecify.annotations.NullMarked;
