package io.tsunagu.agent.command;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.CommandVerifier;
import io.tsunagu.protocol.command.CommandVerifier.Verification;
import io.tsunagu.protocol.command.FleetKeyPolicy;
import io.tsunagu.protocol.command.RefusalReason;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandEnvelope;
import io.tsunagu.protocol.wire.CommandResult;
import java.security.PublicKey;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Executes signed commands, one at a time in arrival order, at most once each.
 *
 * <p>For each envelope: {@link CommandVerifier} → <b>Refused</b>: report {@code REFUSED(reason)}; <b>Duplicate</b> (a
 * remembered id): re-publish the stored final result, do not execute; <b>Accepted</b>: durably record the id as started
 * and raise the key's counter ({@link CommandStore#begin}), publish {@code DELIVERED}, run the action ({@code keys.*}
 * here, everything else through the {@link ActuatorHandler}), durably store the final {@code EXECUTED}/{@code FAILED}
 * result and publish it. Final results and refusals stay in the store's outbox until the cloud acknowledged them and
 * are re-published by {@link #republishPending()} (call it on every reconnect). {@code DELIVERED} is sent once, best
 * effort: the final result supersedes it.
 *
 * <p>A command that started before a crash is reported {@code FAILED(interrupted)} when the executor is created, and
 * never runs again.
 *
 * <p>Trust: the car executes commands signed by a fleet key (from provisioning; the server holds the private key) or
 * by a user key paired through {@code keys.pair}. A user keeps the paired key's private half on their own device and
 * signs there (with {@link io.tsunagu.protocol.command.CommandSigner}, using their own per-key counter), so the server
 * only relays those envelopes and cannot forge them. While a user key is paired the fleet key may not command the car
 * ({@link FleetKeyPolicy}): a verified fleet-signed command for any other action than {@code wake}, {@code refresh} and
 * {@code keys.*} is refused {@code fleet_key_not_permitted}, before its counter is recorded, and no actuator is called.
 * So a compromised server can wake the car or ask for its state, can pair a key of its own only with someone in the car
 * confirming ({@link PairingConfirmation}), can revoke the user's key only with someone in the car confirming ({@link
 * RevocationConfirmation}), and can never replace a user's key id.
 *
 * <p>Threading: {@link #submit} may be called from any thread (the MQTT client's); commands run on the given executor,
 * one at a time. {@link #handle} runs one command on the calling thread (tests, or a caller that orders by itself).
 */
public final class CommandExecutor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandExecutor.class);

    private final Vin vin;
    private final CommandStore store;
    private final CarKeys keys;
    private final CommandVerifier verifier;
    private final ActuatorHandler actuators;
    private final KeyActions keyActions;
    private final ResultPublisher publisher;
    private final Clock clock;
    private final Executor executor;
    private final Queue<byte[]> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final Set<Long> publishing = ConcurrentHashMap.newKeySet(); // outbox entries waiting for their PUBACK
    private volatile boolean closed;

    /**
     * @param fleetKeys the fleet's command keys by key id (from provisioning); may be empty (then only paired keys)
     * @param pairing asks in the car before any {@code keys.pair} trusts a key
     * @param revocation asks in the car before a fleet-signed {@code keys.revoke} removes a key
     * @param executor runs {@link #submit}ted commands; one task at a time is used
     */
    public CommandExecutor(
            Vin vin,
            CommandStore store,
            Map<String, PublicKey> fleetKeys,
            ActuatorHandler actuators,
            PairingConfirmation pairing,
            RevocationConfirmation revocation,
            ResultPublisher publisher,
            Clock clock,
            Executor executor) {
        this.vin = vin;
        this.store = store;
        this.keys = new CarKeys(fleetKeys, store);
        this.verifier = new CommandVerifier(vin, keys, store, clock);
        this.actuators = actuators;
        this.keyActions = new KeyActions(keys, store, pairing, revocation, clock);
        this.publisher = publisher;
        this.clock = clock;
        this.executor = executor;
        reportInterrupted();
    }

    /** Queues a payload from {@code vehicles/{vin}/commands}; commands run in the order they were submitted. */
    public void submit(byte[] payload) {
        inbox.add(payload);
        schedule();
    }

    /** Verifies and runs one payload now, on this thread. */
    public synchronized void handle(byte[] payload) {
        if (closed) {
            LOG.warn("{}: command arrived after close, ignored (the cloud sends it again)", vin);
            return;
        }
        switch (verifier.verify(payload)) {
            case Verification.Refused refused -> refuse(refused, payload);
            case Verification.Duplicate duplicate -> reReport(duplicate.body());
            case Verification.Accepted accepted
            when accepted.body().getCounter() < 0 ->
                // The replay state keeps counters as signed longs with -1 for "none": a counter of 2^63 or more would
                // disable the replay check for its key, so the car refuses it.
                refuse(
                        new Verification.Refused(
                                RefusalReason.MALFORMED,
                                "counter must be below 2^63",
                                Optional.of(accepted.body().getCommandId())),
                        payload);
            case Verification.Accepted accepted
            when !permitted(accepted) -> refuse(fleetKeyNotPermitted(accepted.body()), payload);
            case Verification.Accepted accepted -> run(accepted.keyId(), accepted.body());
        }
    }

    /** The policy step after verification: may this key command this action now? */
    private boolean permitted(Verification.Accepted accepted) {
        return !keys.isFleetKey(accepted.keyId())
                || FleetKeyPolicy.permits(accepted.body().getAction(), keys.userKeyPaired());
    }

    private static Verification.Refused fleetKeyNotPermitted(CommandBody body) {
        return new Verification.Refused(
                RefusalReason.FLEET_KEY_NOT_PERMITTED,
                "'" + body.getAction() + "' must be signed with a paired user key: the car trusts one, so the fleet"
                        + " key may only wake, refresh and manage keys",
                Optional.of(body.getCommandId()));
    }

    /** Publishes every final result the cloud has not acknowledged yet (call after each connect). */
    public void republishPending() {
        if (closed) {
            return;
        }
        store.pending().forEach(this::send);
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            try {
                executor.execute(this::drain);
            } catch (RejectedExecutionException e) {
                scheduled.set(false);
                LOG.warn("{}: command executor shut down, {} command(s) not run", vin, inbox.size());
            }
        }
    }

    private void drain() {
        byte[] payload;
        while ((payload = inbox.poll()) != null) {
            try {
                handle(payload);
            } catch (RuntimeException e) {
                // A store fault (or a close racing the command): the id stays started or unknown; never re-run here.
                LOG.error("{}: command handling failed: {}", vin, e.toString());
            }
        }
        scheduled.set(false);
        if (!inbox.isEmpty()) {
            schedule();
        }
    }

    private void run(String keyId, CommandBody body) {
        String id = body.getCommandId();
        CommandResult delivered = result(id, CommandResult.Status.DELIVERED, "", "");
        store.begin(keyId, body.getCounter(), delivered);
        LOG.info("{}: executing command {} '{}' signed by '{}'", vin, id, body.getAction(), keyId);
        publishOnce(delivered);
        CommandResult result = switch (execute(keyId, body)) {
            case ActionOutcome.Executed executed -> result(id, CommandResult.Status.EXECUTED, "", executed.message());
            case ActionOutcome.Failed failed ->
                result(id, CommandResult.Status.FAILED, failed.reason(), failed.message());
        };
        LOG.info("{}: command {} {} {}", vin, id, result.getStatus(), result.getReason());
        send(store.finish(result));
    }

    private ActionOutcome execute(String keyId, CommandBody body) {
        Map<String, String> params = body.getParamsMap();
        try {
            return switch (body.getAction()) {
                case CommandActions.KEYS_PAIR -> keyActions.pair(params);
                case CommandActions.KEYS_REVOKE -> keyActions.revoke(params, keyId);
                default -> actuators.execute(body.getAction(), params);
            };
        } catch (RuntimeException e) {
            LOG.error("{}: action '{}' threw", vin, body.getAction(), e);
            return ActionOutcome.failed(ActionOutcome.ACTUATOR_ERROR, e.toString());
        }
    }

    private void refuse(Verification.Refused refused, byte[] payload) {
        // The verifier names the id only once the signature verified; for earlier refusals the unverified id is still
        // worth reporting so that the cloud can tell which of its commands failed.
        String id = refused.commandId().or(() -> unverifiedId(payload)).orElse("");
        LOG.warn("{}: refused command '{}': {} ({})", vin, id, refused.reason().code(), refused.message());
        CommandResult result =
                result(id, CommandResult.Status.REFUSED, refused.reason().code(), refused.message());
        send(store.enqueue(result));
    }

    private void reReport(CommandBody body) {
        Optional<CommandResult> stored = store.result(body.getCommandId());
        if (stored.isEmpty() || stored.get().getStatus() == CommandResult.Status.DELIVERED) {
            return; // cannot happen with one command at a time; the final result follows anyway
        }
        LOG.info(
                "{}: command {} delivered again; re-reporting {}",
                vin,
                body.getCommandId(),
                stored.get().getStatus());
        publishOnce(stored.get());
    }

    private void reportInterrupted() {
        for (String id : store.interrupted()) {
            LOG.warn("{}: command {} was running when the agent stopped; reporting it failed", vin, id);
            CommandResult result = result(
                    id,
                    CommandResult.Status.FAILED,
                    ActionOutcome.INTERRUPTED,
                    "the agent stopped while the command ran; it is not run again");
            send(store.finish(result));
        }
    }

    private void send(CommandStore.PendingResult pending) {
        if (!publishing.add(pending.seq())) {
            return;
        }
        publish(pending.result()).whenComplete((ok, error) -> {
            publishing.remove(pending.seq());
            if (error == null) {
                store.acknowledged(pending.seq());
            } else {
                LOG.debug(
                        "{}: result of {} not acknowledged, kept: {}",
                        vin,
                        pending.result().getCommandId(),
                        error);
            }
        });
    }

    private void publishOnce(CommandResult result) {
        publish(result).whenComplete((ok, error) -> {
            if (error != null) {
                LOG.debug("{}: {} of {} not delivered: {}", vin, result.getStatus(), result.getCommandId(), error);
            }
        });
    }

    private CompletionStage<?> publish(CommandResult result) {
        try {
            return publisher.publish(result);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private CommandResult result(String id, CommandResult.Status status, String reason, String message) {
        return CommandResult.newBuilder()
                .setCommandId(id)
                .setStatus(status)
                .setReason(reason)
                .setMessage(message)
                .setTsMs(clock.millis())
                .build();
    }

    private static Optional<String> unverifiedId(byte[] payload) {
        try {
            String id = CommandBody.parseFrom(CommandEnvelope.parseFrom(payload).getBody())
                    .getCommandId();
            return Optional.of(id).filter(s -> !s.isEmpty());
        } catch (InvalidProtocolBufferException e) {
            return Optional.empty();
        }
    }

    /** Stops taking commands and closes the store; a command still running fails and is reported interrupted later. */
    @Override
    public void close() {
        closed = true;
        store.close();
    }
}
