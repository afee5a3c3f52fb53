package io.tsunagu.server.command;

import com.google.protobuf.InvalidProtocolBufferException;
import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.command.FleetKeyPolicy;
import io.tsunagu.protocol.wire.CommandBody;
import io.tsunagu.protocol.wire.CommandResult;
import io.tsunagu.server.command.internal.ActionCatalog;
import io.tsunagu.server.command.internal.CommandStore;
import io.tsunagu.server.command.internal.CommandWatchers;
import io.tsunagu.server.command.internal.DeliveryConductor;
import io.tsunagu.server.command.internal.KeyChanges;
import io.tsunagu.server.command.internal.PairedKeyStore;
import io.tsunagu.server.command.internal.SignedEnvelopes;
import io.tsunagu.server.command.internal.TwinIntents;
import io.tsunagu.server.metadata.MetadataException;
import io.tsunagu.server.observe.GracefulStop;
import io.tsunagu.server.observe.Metrics;
import io.tsunagu.server.twin.TwinStore;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remote commands: validate, sign with the fleet key (or check an envelope a user signed with a key paired to the car,
 * see {@link #submitSigned}), store durably, deliver in order, track from the car's results. A {@code keys.pair}
 * command the car reports {@code executed} records the key as paired ({@link #pairedKeys}), a {@code keys.revoke} marks
 * it revoked. While a car has a paired key that is not revoked, the fleet key signs only what the car would still take
 * from it ({@link FleetKeyPolicy}).
 *
 * <p>State rules: a command moves only forward ({@code queued → sent → delivered → final}). Late or duplicate results
 * never move a final state, with one exception: {@code expired} is the server's guess that the car never took the
 * command, so an {@code executed} or {@code failed} report from the car overrules it (the car checked the expiry
 * itself when it accepted the envelope). Cancelling works while {@code queued} or {@code sent}; once the car has
 * reported delivery it is a conflict.
 *
 * <p>Thread-safe. Result handling and deliveries of one car run on one stripe of the delivery conductor.
 */
public final class CommandService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommandService.class);
    /** Longest expiry a caller may ask for. */
    public static final Duration MAX_TTL = Duration.ofDays(7);

    private static final Set<CommandState> UNACKNOWLEDGED = EnumSet.of(CommandState.QUEUED, CommandState.SENT);
    private static final Set<CommandState> ACTIVE =
            EnumSet.of(CommandState.QUEUED, CommandState.SENT, CommandState.DELIVERED);
    private static final Set<CommandState> CAR_MAY_FINISH =
            EnumSet.of(CommandState.QUEUED, CommandState.SENT, CommandState.DELIVERED, CommandState.EXPIRED);
    private static final int SUBSCRIBE_RETRIES = 5;
    /** How long a command sweep in progress may take to finish at shutdown (it makes a few database calls). */
    private static final Duration STOP_GRACE = Duration.ofSeconds(10);

    private static final int REDELIVERY_EVERY_SWEEPS = 15;

    /** The outcome of {@link #submit}: the command, and whether this call created it (false: idempotent retry). */
    public record Submission(Command command, boolean created) {}

    private final CommandStore store;
    private final PairedKeyStore pairedKeys;
    private final KeyChanges keyChanges;
    private final SignedEnvelopes signedEnvelopes;
    private final AuditLog audit;
    private final ActionCatalog catalog = new ActionCatalog();
    private final FleetCommandKey key;
    private final CommandTransport transport;
    private final TwinIntents intents;
    private final CommandWatchers watchers = new CommandWatchers();
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private final DeliveryConductor conductor;
    private final Metrics metrics;
    private final LongAdder created;
    private final LongAdder unknownResults;
    private final LongAdder ignoredResults;
    private final LongAdder malformedResults;
    private final LongAdder expired;
    private long sweeps;
    private volatile boolean running = true;

    public CommandService(
            DataSource dataSource,
            FleetCommandKey key,
            TwinStore twins,
            CommandTransport transport,
            Metrics metrics,
            Clock clock) {
        this.store = new CommandStore(dataSource);
        this.pairedKeys = new PairedKeyStore(dataSource);
        this.keyChanges = new KeyChanges(pairedKeys, store, key.keyId(), clock);
        this.signedEnvelopes = new SignedEnvelopes(pairedKeys, store, catalog, key.keyId(), clock);
        this.audit = new AuditLog(dataSource, clock);
        this.key = key;
        this.transport = transport;
        this.intents = new TwinIntents(twins, catalog);
        this.clock = clock;
        this.metrics = metrics;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().name("tsunagu-command-sweep").daemon(true).factory());
        this.conductor = new DeliveryConductor(store, transport, this::changed, clock, scheduler);
        this.created = metrics.counter("tsunagu_commands_created_total", "Commands accepted by the API");
        this.unknownResults = metrics.counter(
                "tsunagu_command_results_unknown_total", "Command results naming no command of the sending car");
        this.ignoredResults = metrics.counter(
                "tsunagu_command_results_ignored_total", "Late or duplicate command results that changed nothing");
        this.malformedResults =
                metrics.counter("tsunagu_command_results_malformed_total", "Command results that did not parse");
        this.expired = metrics.counter("tsunagu_commands_expired_total", "Commands that expired before delivery");
    }

    /** Restores the twin's desired values of active commands and starts the expiry sweep (every {@code interval}). */
    public void start(Duration interval) {
        store.inStates(ACTIVE).forEach(intents::apply);
        scheduler.scheduleWithFixedDelay(this::sweep, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Validates, signs and stores a command, then delivers it if the car is online. Durable when this returns.
     *
     * @throws CommandException {@code unknown_action}, {@code invalid_param}, {@code invalid_expiry} (invalid), {@code
     *     idempotency_key_reused} (conflict: same key, different request), {@code user_signature_required} (conflict:
     *     the car trusts a paired user key and the action is not open to the fleet key, see {@link FleetKeyPolicy}),
     *     {@code key_id_revoked} / {@code key_id_taken} (conflict: a {@code keys.pair} reusing a revoked key id or one
     *     paired with another key)
     */
    public Submission submit(CommandRequest request) {
        Map<String, String> params = catalog.validate(request.action(), request.params());
        Instant now = clock.instant();
        Duration ttl = catalog.find(request.action()).orElseThrow().defaultTtl();
        Instant expiresAt = request.expiresAt().orElse(now.plus(ttl));
        checkExpiry(now, expiresAt);
        String hash = requestHash(request, params);
        Optional<Submission> earlier = idempotentRetry(request, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        checkFleetKeyPermitted(request);
        keyChanges.checkPairable(request.vin(), request.action(), params);
        CommandStore.NewCommand fresh = new CommandStore.NewCommand(
                UUID.randomUUID().toString(),
                request.vin(),
                request.action(),
                params,
                request.requestedBy(),
                request.idempotencyKey(),
                hash,
                key.keyId(),
                now,
                expiresAt);
        Command command;
        try {
            command = store.insert(fresh, counters -> sign(fresh, counters.keyCounter()));
        } catch (MetadataException e) {
            if (request.idempotencyKey().isPresent() && CommandStore.isDuplicate(e)) {
                return idempotentRetry(request, hash).orElseThrow(() -> e); // a concurrent retry won the race
            }
            throw e;
        }
        return accepted(command, request.requestedBy());
    }

    /**
     * The car's own rule ({@link FleetKeyPolicy}), applied early to the server's record of its keys so that the caller
     * gets a clear answer instead of a refusal from the car; the car still enforces it by itself.
     */
    private void checkFleetKeyPermitted(CommandRequest request) {
        if (!FleetKeyPolicy.permits(request.action(), pairedKeys.hasActive(request.vin()))) {
            throw new CommandException(
                    CommandException.Kind.CONFLICT,
                    "user_signature_required",
                    request.vin() + " trusts a paired user key, so the fleet key may not command '" + request.action()
                            + "'; sign the command on the user's device and POST it to /api/v1/vehicles/"
                            + request.vin() + "/commands/signed");
        }
    }

    /** A new command is stored: set the twin's desired values, audit, notify watchers, deliver. */
    private Submission accepted(Command command, String principal) {
        created.increment();
        intents.apply(command);
        audit.record(principal, command, command.state().code());
        watchers.notify(command);
        conductor.deliver(command.vin(), false, 0);
        return new Submission(command, true);
    }

    /**
     * Stores and delivers an envelope a user signed on their own device with a key paired to the car, unchanged: the
     * server does not sign it and keeps the user's counter (the signer must increase it for every command; the car
     * refuses a counter not above the last one it accepted). Otherwise it is a command like any other: same states,
     * order, expiry, results, twin desired values and audit. Durable when this returns.
     *
     * @param envelope a serialized {@code CommandEnvelope}
     * @param requestedBy the authenticated caller (audit, idempotency scope)
     * @throws CommandException see {@link SignedEnvelopes} for the codes; {@code invalid_expiry} also when the
     *     expiry is more than {@link #MAX_TTL} ahead; {@code idempotency_key_reused} (conflict)
     */
    public Submission submitSigned(Vin vin, byte[] envelope, String requestedBy, Optional<String> idempotencyKey) {
        String hash = signedRequestHash(vin, envelope);
        Optional<Submission> earlier = idempotentRetry(requestedBy, idempotencyKey, hash);
        if (earlier.isPresent()) {
            return earlier.get();
        }
        SignedEnvelopes.Checked checked = signedEnvelopes.check(vin, envelope);
        CommandBody body = checked.body();
        Instant now = clock.instant();
        Instant expiresAt = Instant.ofEpochMilli(body.getExpiresAtMs());
        checkExpiry(now, expiresAt);
        keyChanges.checkPairable(vin, body.getAction(), body.getParamsMap());
        CommandStore.NewCommand fresh = new CommandStore.NewCommand(
                body.getCommandId(),
                vin,
                body.getAction(),
                body.getParamsMap(),
                requestedBy,
                idempotencyKey,
                hash,
                checked.envelope().getKeyId(),
                now,
                expiresAt);
        try {
            return accepted(store.insertSigned(fresh, body.getCounter(), envelope), requestedBy);
        } catch (MetadataException e) {
            if (!CommandStore.isDuplicate(e)) {
                throw e;
            }
            // A concurrent submission of the same command id (or idempotency key) won the race.
            return idempotentRetry(requestedBy, idempotencyKey, hash)
                    .orElseThrow(() -> new CommandException(
                            CommandException.Kind.CONFLICT,
                            "duplicate_command_id",
                            "command " + body.getCommandId() + " exists already; a command id is used once"));
        }
    }

    private static void checkExpiry(Instant now, Instant expiresAt) {
        if (!expiresAt.isAfter(now)) {
            throw CommandException.invalid(
                    "invalid_expiry", "expiresAt " + expiresAt + " is not in the future (now " + now + ")");
        }
        if (expiresAt.isAfter(now.plus(MAX_TTL))) {
            throw CommandException.invalid(
                    "invalid_expiry", "expiresAt " + expiresAt + " is more than " + MAX_TTL.toDays() + " days ahead");
        }
    }

    private Optional<Submission> idempotentRetry(CommandRequest request, String hash) {
        return idempotentRetry(request.requestedBy(), request.idempotencyKey(), hash);
    }

    private Optional<Submission> idempotentRetry(String requestedBy, Optional<String> idempotencyKey, String hash) {
        if (idempotencyKey.isEmpty()) {
            return Optional.empty();
        }
        return store.findByIdempotencyKey(requestedBy, idempotencyKey.get()).map(earlier -> {
            if (!earlier.getValue().equals(hash)) {
                throw new CommandException(
                        CommandException.Kind.CONFLICT,
                        "idempotency_key_reused",
                        "Idempotency-Key '" + idempotencyKey.get() + "' was used for a different"
                                + " request (command "
                                + earlier.getKey().id() + ")");
            }
            return new Submission(earlier.getKey(), false);
        });
    }

    private byte[] sign(CommandStore.NewCommand command, long counter) {
        CommandBody body = CommandBody.newBuilder()
                .setVin(command.vin().value())
                .setCommandId(command.id())
                .setAction(command.action())
                .putAllParams(command.params())
                .setIssuedAtMs(command.createdAt().toEpochMilli())
                .setExpiresAtMs(command.expiresAt().toEpochMilli())
                .setCounter(counter)
                .build();
        return key.signer().sign(body).toByteArray();
    }

    /** What identifies a request for idempotency: car, action, normalised parameters and the expiry asked for. */
    private static String requestHash(CommandRequest request, Map<String, String> params) {
        String canonical = request.vin().value() + "\n" + request.action() + "\n" + CommandStore.json(params) + "\n"
                + request.expiresAt().map(i -> Long.toString(i.toEpochMilli())).orElse("");
        return sha256Hex(canonical.getBytes(StandardCharsets.UTF_8));
    }

    /** What identifies a user-signed submission for idempotency: the car and the exact envelope bytes. */
    private static String signedRequestHash(Vin vin, byte[] envelope) {
        byte[] prefix = ("signed\n" + vin.value() + "\n").getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[prefix.length + envelope.length];
        System.arraycopy(prefix, 0, all, 0, prefix.length);
        System.arraycopy(envelope, 0, all, prefix.length, envelope.length);
        return sha256Hex(all);
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks SHA-256", e);
        }
    }

    /** The command if it exists and belongs to {@code vin}. */
    public Optional<Command> find(Vin vin, String id) {
        return store.find(id).filter(c -> c.vin().equals(vin));
    }

    /** The car's newest commands first. */
    public List<Command> list(Vin vin, int limit) {
        return store.list(vin, limit);
    }

    /** The user keys paired to the car (through an executed {@code keys.pair}), oldest first. */
    public List<PairedKey> pairedKeys(Vin vin) {
        return pairedKeys.list(vin);
    }

    /**
     * Cancels a command that is {@code queued} or {@code sent}. A sent envelope cannot be recalled: if the car got it,
     * its result is still recorded in the audit log.
     *
     * @throws CommandException {@code command_not_found}, or {@code command_not_cancellable} (conflict)
     */
    public Command cancel(Vin vin, String id, String principal) {
        Command current = find(vin, id).orElseThrow(() -> notFound(vin, id));
        Optional<Command> cancelled = store.transition(
                id,
                UNACKNOWLEDGED,
                CommandState.CANCELLED,
                clock.instant(),
                Optional.empty(),
                Optional.of("cancelled by " + principal));
        if (cancelled.isEmpty()) {
            CommandState state = find(vin, id).map(Command::state).orElse(current.state());
            throw new CommandException(
                    CommandException.Kind.CONFLICT,
                    "command_not_cancellable",
                    "command " + id + " is " + state.code() + "; only queued or sent commands can be cancelled");
        }
        finished(cancelled.get(), principal, CommandState.CANCELLED.code());
        return cancelled.get();
    }

    private static CommandException notFound(Vin vin, String id) {
        return new CommandException(
                CommandException.Kind.NOT_FOUND, "command_not_found", "command " + id + " of " + vin + " not found");
    }

    /**
     * A {@code CommandResult} (protobuf) the car published on its own result topic. Completes once the new state is
     * stored (the gateway acknowledges the publish then); results that cannot apply are logged and counted.
     */
    public CompletableFuture<Void> resultReceived(Vin vin, byte[] payload) {
        return conductor.onStripe(vin, () -> {
            applyResult(vin, payload);
            return null;
        });
    }

    private void applyResult(Vin vin, byte[] payload) {
        CommandResult result;
        try {
            result = CommandResult.parseFrom(payload);
        } catch (InvalidProtocolBufferException e) {
            malformedResults.increment();
            LOG.warn("command result from {} does not parse: {}", vin, e.getMessage());
            return;
        }
        Optional<CommandState> target = switch (result.getStatus()) {
            case DELIVERED -> Optional.of(CommandState.DELIVERED);
            case EXECUTED -> Optional.of(CommandState.EXECUTED);
            case FAILED -> Optional.of(CommandState.FAILED);
            case REFUSED -> Optional.of(CommandState.REFUSED);
            case STATUS_UNSPECIFIED, UNRECOGNIZED -> Optional.empty();
        };
        Optional<Command> command = find(vin, result.getCommandId());
        if (target.isEmpty() || command.isEmpty()) {
            (target.isEmpty() ? malformedResults : unknownResults).increment();
            LOG.warn(
                    "ignoring {} result from {} for unknown command '{}'",
                    result.getStatus(),
                    vin,
                    result.getCommandId());
            return;
        }
        apply(command.get(), target.get(), result);
    }

    private void apply(Command command, CommandState target, CommandResult result) {
        Set<CommandState> from = switch (target) {
            case DELIVERED, REFUSED -> UNACKNOWLEDGED;
            default -> CAR_MAY_FINISH;
        };
        Optional<String> reason = Optional.of(result.getReason()).filter(r -> !r.isEmpty());
        Optional<String> message = Optional.of(result.getMessage()).filter(m -> !m.isEmpty());
        Optional<Command> moved = store.transition(command.id(), from, target, clock.instant(), reason, message);
        metrics.counter("tsunagu_command_results_total", "Command results by status", "status", target.code())
                .increment();
        String outcome = target.code() + reason.map(r -> ": " + r).orElse("");
        if (moved.isEmpty()) {
            ignoredResults.increment();
            Command now = store.find(command.id()).orElse(command);
            if (now.state() != target) {
                audit.record(
                        AuditLog.car(command.vin()),
                        now,
                        "ignored " + outcome + " (already " + now.state().code() + ")");
            }
            return;
        }
        if (target == CommandState.EXECUTED) {
            keyChanges.executed(moved.get()).forEach(c -> finished(c, AuditLog.car(c.vin()), "cancelled: key paired"));
        }
        if (target.isFinal()) {
            finished(moved.get(), AuditLog.car(command.vin()), outcome);
        } else {
            audit.record(AuditLog.car(command.vin()), moved.get(), outcome);
            watchers.notify(moved.get());
        }
    }

    private void finished(Command command, String principal, String outcome) {
        if (command.state() != CommandState.EXECUTED) {
            intents.withdraw(command);
        }
        audit.record(principal, command, outcome);
        watchers.notify(command);
    }

    /**
     * The car connected: deliver everything unacknowledged (if it kept its subscription from a previous session).
     * Commands sent before this connection are re-sent once, as their acknowledgement may have been lost; the car
     * recognises an id it has executed and only reports it again.
     *
     * @param at when the connection was authenticated (before the car could subscribe)
     */
    public void carConnected(Vin vin, Instant at) {
        conductor.connected(vin, at);
        conductor.deliver(vin, true, 0);
    }

    /** The car subscribed to its command topic: deliver everything unacknowledged, in order. */
    public void carSubscribed(Vin vin) {
        conductor.deliver(vin, true, SUBSCRIBE_RETRIES);
    }

    /** Marks queued and sent commands past their expiry as {@code expired}; returns how many. */
    public int expireDue() {
        int count = 0;
        Instant now = clock.instant();
        for (Command due : store.expiredBy(now, UNACKNOWLEDGED)) {
            Optional<Command> moved = store.transition(
                    due.id(), UNACKNOWLEDGED, CommandState.EXPIRED, now, Optional.of("expired"), Optional.empty());
            if (moved.isPresent()) {
                count++;
                expired.increment();
                finished(moved.get(), AuditLog.SYSTEM, CommandState.EXPIRED.code());
            }
        }
        return count;
    }

    private void sweep() {
        try {
            expireDue();
            if (++sweeps % REDELIVERY_EVERY_SWEEPS == 0) {
                store.inStates(EnumSet.of(CommandState.QUEUED)).stream()
                        .map(Command::vin)
                        .distinct()
                        .filter(transport::online)
                        .forEach(vin -> conductor.deliver(vin, false, 0));
            }
        } catch (RuntimeException e) {
            LOG.warn("command sweep failed; will retry", e);
        }
    }

    private void changed(Command command) {
        watchers.notify(command);
    }

    /**
     * Tells {@code listener} of every state change of the car's commands (on the thread that made it; do not block).
     *
     * @return stops the notifications
     */
    public Runnable watch(Vin vin, Consumer<Command> listener) {
        return watchers.add(vin, listener);
    }

    public AuditLog audit() {
        return audit;
    }

    public FleetCommandKey fleetKey() {
        return key;
    }

    /** The actions the catalogue knows. */
    public Set<String> actions() {
        return catalog.names();
    }

    /** False once closed (live streams end). */
    public boolean running() {
        return running;
    }

    @Override
    public void close() {
        running = false;
        GracefulStop.stop(scheduler, STOP_GRACE, "command sweep");
        conductor.close();
        watchers.close();
    }
}
