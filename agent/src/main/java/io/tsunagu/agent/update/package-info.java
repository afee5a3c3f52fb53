/**
 * Software updates in the car: a simulated A/B system per ECU ({@link io.tsunagu.agent.update.AbUpdateSystem}) that
 * installs a verified, downloaded image into the inactive slot, reboots into it on trial, health-checks it and
 * commits it or rolls back to the previous slot, and a durable outbox ({@link io.tsunagu.agent.update.UpdateOutbox})
 * that reports every step to the cloud at least once through an {@link io.tsunagu.agent.update.UpdateReporter}. An
 * install interrupted at any point (process killed) leaves the ECU on a working slot and reports what truly happened.
 * Download and Uptane metadata verification happen before, in the update client.
 */
@NullMarked
package io.tsunagu.agent.update;

import org.jspecify.annotations.NullMarked;
