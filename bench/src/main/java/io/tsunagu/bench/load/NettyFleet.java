package io.tsunagu.bench.load;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CarFleet} on Netty itself ({@link NettyCar}): one event loop per core (native epoll where it loads, else
 * NIO), each car's connection on one of them, and every schedule split by loop: each loop runs its own
 * {@value FleetLoad#TICK_MS} ms task for the cars whose channels it owns, so a publish is a write on the owning loop,
 * without the hand-off from a ticker thread to the event loop (a futex wake-up per publish) of HiveMQ's client.
 */
final class NettyFleet implements CarFleet {
    private static final Logger LOG = LoggerFactory.getLogger(NettyFleet.class);
    private static final long CONNECT_WAIT_S = 120;
    private static final long STOP_WAIT_S = 5;

    private final EventLoopGroup group;
    private final List<NettyCar> cars;
    private final Map<EventLoop, List<NettyCar>> byLoop;
    private final int connectFailures;
    private final double connectSeconds;

    private NettyFleet(EventLoopGroup group, List<NettyCar> cars, int connectFailures, double connectSeconds) {
        this.group = group;
        this.cars = cars;
        this.connectFailures = connectFailures;
        this.connectSeconds = connectSeconds;
        this.byLoop = new LinkedHashMap<>();
        for (NettyCar car : cars) {
            if (car.connected()) {
                byLoop.computeIfAbsent(car.eventLoop(), loop -> new ArrayList<>())
                        .add(car);
            }
        }
    }

    /** Connects the cars with at most {@code maxInFlight} handshakes at a time (each completion starts the next). */
    static NettyFleet connect(List<CarIdentity> identities, Target target, int maxInFlight) {
        boolean epoll = Epoll.isAvailable();
        DefaultThreadFactory threads = new DefaultThreadFactory("bench-car", true);
        int loops = Runtime.getRuntime().availableProcessors();
        EventLoopGroup group = epoll ? new EpollEventLoopGroup(loops, threads) : new NioEventLoopGroup(loops, threads);
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(epoll ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, NettyCar.CONNECT_TIMEOUT_MS);
        BenchPayload payload = new BenchPayload();
        List<NettyCar> cars = new ArrayList<>(identities.size());
        identities.forEach(identity -> cars.add(new NettyCar(identity, payload)));
        AtomicInteger failed = new AtomicInteger();
        AtomicReference<String> firstError = new AtomicReference<>("");
        AtomicInteger next = new AtomicInteger();
        CountDownLatch done = new CountDownLatch(cars.size());
        Runnable[] startNext = new Runnable[1];
        startNext[0] = () -> {
            int i = next.getAndIncrement();
            if (i < cars.size()) {
                cars.get(i).connect(bootstrap, target.mqttPort()).whenComplete((ok, error) -> {
                    if (error != null) {
                        failed.incrementAndGet();
                        firstError.compareAndSet("", error.getClass().getSimpleName() + ": " + error.getMessage());
                    }
                    done.countDown();
                    startNext[0].run();
                });
            }
        };
        long started = System.nanoTime();
        for (int i = 0; i < Math.min(maxInFlight, cars.size()); i++) {
            startNext[0].run();
        }
        long waitS = Math.max(CONNECT_WAIT_S, cars.size() / 20); // as CarClients: at least 20 connects/s
        await(done, waitS);
        double seconds = (System.nanoTime() - started) / 1e9;
        int unfinished = (int) done.getCount();
        if (failed.get() + unfinished > 0) {
            LOG.warn(
                    "{} of {} cars not connected to port {} ({} still connecting after {} s); first error: {}",
                    failed.get() + unfinished,
                    cars.size(),
                    target.mqttPort(),
                    unfinished,
                    waitS,
                    firstError.get());
        }
        return new NettyFleet(group, cars, failed.get() + unfinished, seconds);
    }

    @Override
    public int size() {
        return cars.size();
    }

    @Override
    public int connectFailures() {
        return connectFailures;
    }

    @Override
    public double connectSeconds() {
        return connectSeconds;
    }

    @Override
    public Publishing periodic(long intervalMs, AckTracker tracker) {
        int slots = (int) Math.max(1, intervalMs / FleetLoad.TICK_MS);
        return everyTick(loopCars -> {
            long[] tick = {0};
            return () -> {
                int slot = (int) (tick[0]++ % slots);
                for (int i = slot; i < loopCars.size(); i += slots) {
                    NettyCar car = loopCars.get(i);
                    car.publish(tracker);
                    car.flush();
                }
            };
        });
    }

    @Override
    public Publishing paced(double msgPerS, AckTracker tracker) {
        int connected = byLoop.values().stream().mapToInt(List::size).sum();
        return everyTick(loopCars -> {
            // each loop offers its cars' share of the rate
            double perTick = msgPerS * loopCars.size() / Math.max(connected, 1) * FleetLoad.TICK_MS / 1_000.0;
            double[] owed = {0};
            int[] nextCar = {0};
            return () -> {
                owed[0] += perTick;
                for (; owed[0] >= 1; owed[0]--) {
                    loopCars.get(nextCar[0]++ % loopCars.size()).publish(tracker);
                }
                loopCars.forEach(NettyCar::flush); // once per car, however many of its messages this tick wrote
            };
        });
    }

    @Override
    public Publishing flood(int inFlight, AckTracker tracker) {
        byLoop.forEach(
                (loop, loopCars) -> loop.execute(() -> loopCars.forEach(car -> car.flood(true, inFlight, tracker))));
        return () -> onEveryLoop(loopCars -> () -> loopCars.forEach(car -> car.flood(false, 0, tracker)));
    }

    /** Runs the tick that {@code tickFor} makes for each loop's cars on that loop, every {@value FleetLoad#TICK_MS} ms. */
    private Publishing everyTick(Function<List<NettyCar>, Runnable> tickFor) {
        List<ScheduledFuture<?>> ticks = new ArrayList<>();
        byLoop.forEach((loop, loopCars) -> ticks.add(
                loop.scheduleAtFixedRate(tickFor.apply(loopCars), 0, FleetLoad.TICK_MS, TimeUnit.MILLISECONDS)));
        // Cancelled on the loops themselves: once those tasks ran, no tick is running or will run.
        return () -> onEveryLoop(loopCars -> () -> ticks.forEach(tick -> tick.cancel(false)));
    }

    /** Runs {@code taskFor}'s task on every loop that owns cars and waits (bounded) until all of them ran. */
    private void onEveryLoop(Function<List<NettyCar>, Runnable> taskFor) {
        List<Future<?>> ran = new ArrayList<>();
        byLoop.forEach((loop, loopCars) -> ran.add(loop.submit(taskFor.apply(loopCars))));
        ran.forEach(f -> f.awaitUninterruptibly(STOP_WAIT_S, TimeUnit.SECONDS));
    }

    @Override
    public void close() {
        List<CompletableFuture<Void>> closed = new ArrayList<>(cars.size());
        cars.forEach(car -> closed.add(car.disconnect()));
        try {
            CompletableFuture.allOf(closed.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            LOG.debug("not every bench car closed within 30 s: {}", e.toString());
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }

    private static void await(CountDownLatch latch, long seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
