/**
 * Implementation of OTA rollouts: the JDBC stores of distributions, campaigns, groups, actions and the installed base;
 * the splitting of a target set into groups; the device-report state machine; group progression; and the gates
 * (maintenance window, parked car) an action must pass before it is offered.
 */
@NullMarked
package io.tsunagu.server.update.rollout.internal;

import org.jspecify.annotations.NullMarked;
