package io.tsunagu.sim;

import io.tsunagu.agent.AgentConfig;
import io.tsunagu.agent.AgentStats;
import io.tsunagu.agent.VehicleAgent;
import io.tsunagu.agent.command.CommandKey;
import io.tsunagu.agent.command.PairingConfirmation;
import io.tsunagu.agent.command.RevocationConfirmation;
import io.tsunagu.agent.update.UpdateSettings;
import io.tsunagu.protocol.Vin;
import io.tsunagu.sim.model.EvModel;
import io.tsunagu.sim.model.VehicleProfile;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a fleet of simulated cars in one JVM. Each car is an {@link EvModel} plus a {@link VehicleAgent}; a shared
 * scheduler ticks every car once per {@link FleetConfig#realPeriodNanos()}, advancing its model by exactly {@link
 * FleetConfig#effectiveIntervalMs()} of simulated time and recording one frame stamped with the car's simulated time.
 * Fixed steps keep every car's data a pure function of the seed even when the machine falls behind (the simulation
 * then runs slower than {@code speed}, it does not skip). Ticks of different cars are staggered over the period.
 *
 * <p>Commands: each car trusts the fleet command key(s) its {@link Provisioner} returns, executes commands on its model
 * through {@link SimulatedActuators}, approves key pairings with the configured {@link PairingConfirmation} and approves
 * every fleet-signed key revocation (as if someone in the car confirmed). A tick and a command on the same car hold the
 * car's model monitor, one at a time.
 */
public final class FleetSimulator implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FleetSimulator.class);

    private final FleetConfig config;
    private final Provisioner provisioner;
    private final PairingConfirmation pairing;
    private final Optional<FleetUpdates> updates;
    private final ScheduledExecutorService scheduler;
    private final List<Car> cars = new ArrayList<>();
    private final List<ScheduledFuture<?>> ticks = new ArrayList<>();
    private final AtomicLong tickErrors = new AtomicLong();
    private boolean started;

    /** A fleet whose cars approve every key pairing (as if someone in the car always confirmed). */
    public FleetSimulator(FleetConfig config, Provisioner provisioner) {
        this(config, provisioner, PairingConfirmation.APPROVE);
    }

    /** A fleet whose cars answer {@code keys.pair} with {@code pairing}. */
    public FleetSimulator(FleetConfig config, Provisioner provisioner, PairingConfirmation pairing) {
        this(config, provisioner, pairing, Optional.empty());
    }

    /**
     * A fleet whose cars also take software updates (those whose provisioning returned Uptane roots), see {@link
     * FleetUpdates}.
     */
    public FleetSimulator(
            FleetConfig config, Provisioner provisioner, PairingConfirmation pairing, Optional<FleetUpdates> updates) {
        this.config = config;
        this.provisioner = provisioner;
        this.pairing = pairing;
        this.updates = updates;
        this.scheduler = Executors.newScheduledThreadPool(
                config.threads(),
                Thread.ofPlatform().name("fleet-", 0).daemon(true).factory());
    }

    /** The VINs of a fleet with {@code config}, sorted (the order in which a rollout campaign forms its groups). */
    public static List<Vin> sortedVins(FleetConfig config) {
        return VinGenerator.generate(config.cars(), config.seed()).stream()
                .sorted(Comparator.comparing(Vin::value))
                .toList();
    }

    /** The fleet's VINs, in car order (deterministic for the seed). */
    public List<Vin> vins() {
        return VinGenerator.generate(config.cars(), config.seed());
    }

    /** Provisions every car, starts its agent and schedules its ticks. Call once. */
    public synchronized void start() {
        if (started) {
            throw new IllegalStateException("fleet already started");
        }
        started = true;
        List<Vin> vins = vins();
        long periodNanos = config.realPeriodNanos();
        for (int i = 0; i < vins.size(); i++) {
            Car car = startCar(i, vins.get(i));
            cars.add(car);
            long staggerNanos = periodNanos * i / vins.size();
            ticks.add(scheduler.scheduleAtFixedRate(() -> tick(car), staggerNanos, periodNanos, TimeUnit.NANOSECONDS));
        }
        LOG.info(
                "fleet of {} cars started: speed {}x, one frame per {} ms simulated per car",
                cars.size(),
                config.speed(),
                config.effectiveIntervalMs());
    }

    private Car startCar(int index, Vin vin) {
        VehicleProfile profile = config.profiles().get(index % config.profiles().size());
        Provisioner.Provisioned provisioned = provisioner.provisionCar(vin, profile);
        EvModel model = new EvModel(profile, config.seed() * 1_000_003L + index, config.simStartEpochMs());
        AtomicReference<Optional<VehicleAgent>> agentRef = new AtomicReference<>(Optional.empty());
        SimulatedActuators actuators = new SimulatedActuators(
                model, m -> agentRef.get().ifPresent(agent -> agent.record(m.timeMs(), m.signals())));
        AgentConfig.Builder agentConfig = AgentConfig.builder(vin, provisioned.credentials())
                .host(config.host())
                .port(config.port())
                .bufferDir(config.bufferDir())
                .bufferFsync(config.bufferFsync())
                .executor(scheduler)
                .clock(Clock.fixed(Instant.ofEpochMilli(config.simStartEpochMs()), ZoneOffset.UTC))
                .jitterSeed(config.seed() + index)
                .commandKeys(provisioned.commandKeys().stream()
                        .collect(Collectors.toMap(CommandKey::keyId, CommandKey::key, (a, b) -> b)))
                .actuators(actuators)
                .pairingConfirmation(pairing)
                .revocationConfirmation(RevocationConfirmation.APPROVE);
        updates.ifPresent(
                u -> provisioned.updateRoots().ifPresent(roots -> agentConfig.updates(updateSettings(u, vin, roots))));
        VehicleAgent agent = new VehicleAgent(agentConfig.build());
        agentRef.set(Optional.of(agent));
        agent.start();
        return new Car(vin, model, agent);
    }

    private UpdateSettings updateSettings(FleetUpdates u, Vin vin, Provisioner.UpdateRoots roots) {
        return UpdateSettings.builder(u.origin(), roots.directorRoot(), roots.imageRoot())
                .ecu(FleetUpdates.ECU, u.hardwareId(), u.factoryVersion())
                .pollIntervalMs(u.pollIntervalMs())
                .healthCheck(u.healthCheck(vin))
                .scheduler(scheduler)
                .build();
    }

    /** What car {@code vin} runs on its ECU now, if it takes updates. */
    public Optional<String> installedVersion(Vin vin) {
        return cars.stream()
                .filter(c -> c.vin.equals(vin))
                .findFirst()
                .flatMap(c -> c.agent.updates())
                .map(u -> u.ab().installed(FleetUpdates.ECU).version());
    }

    private void tick(Car car) {
        try {
            synchronized (car.model) {
                car.model.step(config.effectiveIntervalMs() / 1_000.0);
                car.agent.record(car.model.timeMs(), car.model.signals());
            }
        } catch (RuntimeException e) {
            long errors = tickErrors.incrementAndGet();
            LOG.warn("{}: simulation tick failed ({} failures so far): {}", car.vin, errors, e.toString());
        }
    }

    /** Fleet-wide counters now. */
    public FleetStats stats() {
        int connected = 0;
        long recorded = 0;
        long acked = 0;
        long rejected = 0;
        long buffered = 0;
        for (Car car : cars) {
            AgentStats s = car.agent.stats();
            connected += s.connected() ? 1 : 0;
            recorded += s.recorded();
            acked += s.acked();
            rejected += s.rejected();
            buffered += s.buffered();
        }
        return new FleetStats(cars.size(), connected, recorded, acked, rejected, buffered, tickErrors.get());
    }

    /** Stops the ticks, then closes every agent (frames not yet acknowledged stay in their buffers). */
    @Override
    public synchronized void close() {
        ticks.forEach(t -> t.cancel(false));
        FleetStats last = stats();
        for (Car car : cars) {
            synchronized (car.model) {
                car.agent.close();
            }
        }
        scheduler.shutdown();
        LOG.info("fleet stopped: {}", last);
    }

    private record Car(Vin vin, EvModel model, VehicleAgent agent) {}
}
