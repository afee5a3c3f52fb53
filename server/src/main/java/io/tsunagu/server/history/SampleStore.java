package io.tsunagu.server.history;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.Sample;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The telemetry history of every car. Two implementations share this contract: an embedded one (one JVM, files under
 * the data directory) and a distributed one for scale-out.
 *
 * <p>Contract: samples are identified by (vin, path, tsMs, seq); appending the same identity again, also after a
 * restart, stores it once (a car re-sends a batch whose acknowledgement it lost). Data appended by a completed {@link
 * #appendDurably} call is durable at once; an implementation may make it visible to reads later (a distributed store,
 * or an embedded one that applies its log in the background), and {@link #awaitVisible} waits for that. Reads see whole
 * appends in append order, never a later one without every earlier one. Reads may run on any thread concurrently with
 * the writer.
 */
public interface SampleStore extends AutoCloseable {

    /**
     * Appends a batch as one durable commit: returns only after the samples are on stable storage (fsync), so the
     * caller may then acknowledge the messages that carried them. Call from one writer thread only and batch many
     * messages per call (group commit): each call costs at least one fsync. Samples may be in any time order.
     *
     * @throws io.tsunagu.protocol.TsunaguException retriable when storage failed (nothing may be acknowledged), not
     *     retriable when a sample cannot be stored at all (time before 1970 or after 9999)
     */
    void appendDurably(List<Sample> samples);

    /**
     * Waits until everything appended by {@link #appendDurably} calls completed before this call is visible to reads.
     * For tests and for callers that must read their own writes; ingest never waits for it.
     *
     * @return false when the timeout passed first
     * @throws io.tsunagu.protocol.TsunaguException retriable when the store cannot make appends visible (e.g. the
     *     engine suspended the table after a failure)
     */
    boolean awaitVisible(Duration timeout);

    /**
     * One page of history, ordered by time, then path (then sequence number for raw samples at the same time).
     *
     * @throws InvalidQueryException when the cursor is not one this store issued, or a numeric aggregate is asked of a
     *     text or list signal named in {@link HistoryQuery#paths()}
     */
    HistoryPage query(HistoryQuery query);

    /** The newest sample of every signal this car ever reported, ordered by path; empty for an unknown car. */
    List<Sample> latest(Vin vin);

    /**
     * The newest sample of one signal of every car that ever reported it, ordered by VIN (fleet-wide latest values,
     * e.g. every car's state of charge); reads one row per car, not every signal of every car.
     */
    List<Sample> latestOfEveryCar(String path);

    /** {@link #latest(Vin)} for every car with history; used to rebuild the twin when the server starts. */
    Map<Vin, List<Sample>> latestAll();

    /**
     * Drops whole days (UTC) that lie entirely before {@code now - retention}; so between {@code retention} and
     * {@code retention} plus one day of history remain.
     *
     * @return the number of days (partitions) dropped
     */
    long retain(Duration retention, Instant now);

    /** Flushes and releases the store; further calls fail. */
    @Override
    void close();
}
