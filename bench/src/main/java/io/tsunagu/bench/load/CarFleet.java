package io.tsunagu.bench.load;

import java.util.List;

/**
 * Bench cars connected to one target by one {@link Generator}, and the three ways the scenarios make them publish
 * QoS 1 telemetry. Every publish is counted by the given {@link AckTracker}: sent, acknowledged (latency from the
 * request to publish to its PUBACK, including any wait for the broker's Receive Maximum), failed (an error reason
 * code, or the connection closed before the PUBACK: nothing is sent again) or still outstanding.
 */
interface CarFleet extends AutoCloseable {
    /** A running publishing schedule. */
    interface Publishing {
        /** Stops publishing: when this returns, no further publish starts (those in flight still complete). */
        void stop();
    }

    /** Connects the cars with at most {@code maxInFlight} handshakes at a time and waits for all of them. */
    static CarFleet connect(Generator generator, List<CarIdentity> cars, Target target, int maxInFlight) {
        return switch (generator) {
            case NETTY -> NettyFleet.connect(cars, target, maxInFlight);
            case HIVEMQ -> new HiveMqFleet(CarClients.connect(cars, target, maxInFlight));
        };
    }

    int size();

    /** Cars that did not connect (refused, failed or not connected within the wait). */
    int connectFailures();

    /** Seconds until every car had connected or failed. */
    double connectSeconds();

    /**
     * Every connected car publishes one message every {@code intervalMs}: a {@value FleetLoad#TICK_MS} ms tick
     * publishes for the cars of one slot, so the offered load is steady at {@code cars / interval}.
     */
    Publishing periodic(long intervalMs, AckTracker tracker);

    /** A steady {@code msgPerS} over all cars in turn, on a {@value FleetLoad#TICK_MS} ms tick (fractions carried). */
    Publishing paced(double msgPerS, AckTracker tracker);

    /** Every car keeps {@code inFlight} publishes going: each answer (PUBACK or failure) sends the next one. */
    Publishing flood(int inFlight, AckTracker tracker);

    /** Disconnects every connected car and waits (bounded) for the DISCONNECTs to go out. */
    @Override
    void close();
}
