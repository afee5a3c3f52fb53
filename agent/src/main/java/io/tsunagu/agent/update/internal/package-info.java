/**
 * Implementation of the simulated A/B system: the boot-control record and the step outbox in one H2 MVStore file
 * ({@link io.tsunagu.agent.update.internal.UpdateStore}, so a slot switch and the step that reports it are one atomic,
 * fsynced commit), the slot image files ({@link io.tsunagu.agent.update.internal.SlotFiles}) and the boot sequence
 * ({@link io.tsunagu.agent.update.internal.BootSequence}: bootloader, recovery, health check, commit or rollback).
 */
@NullMarked
package io.tsunagu.agent.update.internal;

import org.jspecify.annotations.NullMarked;
