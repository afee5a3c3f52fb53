package io.tsunagu.server.ingest;

import io.tsunagu.protocol.Vin;
import io.tsunagu.protocol.telemetry.MalformedPayloadException;
import io.tsunagu.protocol.telemetry.RawFrame;
import io.tsunagu.protocol.telemetry.RejectReason;
import io.tsunagu.protocol.telemetry.Sample;
import io.tsunagu.protocol.telemetry.TelemetryDecoder;
import io.tsunagu.protocol.vss.SignalCatalog;
import io.tsunagu.protocol.vss.ValidationResult;
import io.tsunagu.server.observe.Metrics;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * The ingest stages for one telemetry message, in order: size check, per-car rate limit, decode, per-value validation
 * against the signal catalog, durable group commit ({@link DurableWriter}), fan-out to consumers after the commit.
 * The returned future completes only once the accepted values are durable, so the gateway can acknowledge QoS 1 then.
 *
 * <p>Threading: {@link #submit} is called concurrently from the MQTT gateway's event loops; it never blocks.
 */
public final class IngestPipeline implements AutoCloseable {
    private final IngestConfig config;
    private final SignalCatalog catalog;
    private final TelemetryDecoder decoder;
    private final RateLimiter rateLimiter;
    private final RejectionLog rejections;
    private final DurableWriter writer;
    private final SeqWindow seqWindow = new SeqWindow();
    private final Consumer<List<Sample>> consumers;
    private final LongAdder messages;
    private final LongAdder samplesAccepted;
    private final LongAdder duplicates;

    /**
     * @param durableSink makes samples durable before returning (the history store's append)
     * @param consumers receives every committed sample once per (VIN, seq), in commit order (the twin, later the bus)
     */
    public IngestPipeline(
            IngestConfig config,
            SignalCatalog catalog,
            Consumer<List<Sample>> durableSink,
            Consumer<List<Sample>> consumers,
            RejectionLog rejections,
            Metrics metrics,
            RateLimiter rateLimiter) {
        this.config = config;
        this.catalog = catalog;
        this.decoder = new TelemetryDecoder();
        this.rateLimiter = rateLimiter;
        this.rejections = rejections;
        this.consumers = consumers;
        this.messages = metrics.counter("tsunagu_ingest_messages_total", "Telemetry messages received");
        this.samplesAccepted =
                metrics.counter("tsunagu_ingest_samples_total", "Telemetry values accepted and made durable");
        this.duplicates = metrics.counter(
                "tsunagu_ingest_duplicate_frames_total", "Re-sent frames (same VIN and seq) not fanned out again");
        this.writer = new DurableWriter(durableSink, this::fanOut, config.maxBatchSamples());
        metrics.gauge("tsunagu_ingest_commit_backlog", "Messages waiting for the next group commit", writer::backlog);
        metrics.gauge("tsunagu_ingest_commits_total", "Group commits (fsyncs) of telemetry", writer::commits);
    }

    /** Runs one message through the stages; the future completes when its accepted values are durable. */
    public CompletableFuture<IngestOutcome> submit(Vin vin, byte[] payload, Optional<String> contentType) {
        messages.increment();
        if (payload.length > config.maxPayloadBytes()) {
            return reject(
                    vin,
                    RejectReason.PAYLOAD_TOO_LARGE,
                    "payload of " + payload.length + " bytes exceeds the limit of " + config.maxPayloadBytes()
                            + " bytes");
        }
        if (!rateLimiter.tryAcquire(vin)) {
            return reject(
                    vin,
                    RejectReason.RATE_LIMITED,
                    "more than " + config.messagesPerSecondPerCar() + " messages/s (burst "
                            + (long) config.burstPerCar() + "); slow down and re-send");
        }
        List<RawFrame> frames;
        try {
            frames = decoder.decode(payload, contentType);
        } catch (MalformedPayloadException e) {
            return reject(vin, RejectReason.MALFORMED_PAYLOAD, e.getMessage());
        }
        return validateAndCommit(vin, frames);
    }

    /**
     * Records that a car tried to publish on another car's topic. The gateway refuses the message itself (PUBACK
     * not authorized, then disconnect); this keeps the attempt visible in the sender's rejection log and metrics.
     */
    public void refuseForeignTopic(String senderClientId, String topic) {
        if (Vin.isValid(senderClientId)) {
            rejections.record(
                    Vin.of(senderClientId),
                    RejectReason.TOPIC_NOT_ALLOWED,
                    Optional.empty(),
                    "publish to '" + topic + "' refused: a car may publish only below vehicles/" + senderClientId
                            + "/");
        }
    }

    private CompletableFuture<IngestOutcome> validateAndCommit(Vin vin, List<RawFrame> frames) {
        List<Sample> accepted = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        RejectReason firstReason = null;
        for (RawFrame frame : frames) {
            for (RawFrame.RawSignal signal : frame.signals()) {
                switch (catalog.validate(signal.path(), signal.value())) {
                    case ValidationResult.Accepted ok ->
                        accepted.add(new Sample(vin, frame.tsMs(), frame.seq(), ok.path(), ok.value()));
                    case ValidationResult.Rejected bad -> {
                        rejections.record(vin, bad.code(), Optional.of(signal.path()), bad.message());
                        firstReason = firstReason == null ? bad.code() : firstReason;
                        if (problems.size() < 5) {
                            problems.add(bad.message());
                        }
                    }
                }
            }
        }
        int rejected = countRejected(frames, accepted.size());
        String detail = detail(accepted.size(), rejected, problems);
        if (accepted.isEmpty() && firstReason != null) {
            return CompletableFuture.completedFuture(IngestOutcome.rejected(firstReason, detail));
        }
        int acceptedCount = accepted.size();
        return writer.submit(accepted).thenApply(done -> {
            samplesAccepted.add(acceptedCount);
            return new IngestOutcome(acceptedCount, rejected, Optional.empty(), detail);
        });
    }

    private static int countRejected(List<RawFrame> frames, int accepted) {
        int total = 0;
        for (RawFrame frame : frames) {
            total += frame.signals().size();
        }
        return total - accepted;
    }

    private static String detail(int accepted, int rejected, List<String> problems) {
        if (rejected == 0) {
            return "accepted " + accepted;
        }
        return "accepted " + accepted + ", rejected " + rejected + ": " + String.join("; ", problems)
                + (rejected > problems.size() ? "; ..." : "");
    }

    private CompletableFuture<IngestOutcome> reject(Vin vin, RejectReason reason, String message) {
        rejections.record(vin, reason, Optional.empty(), message);
        return CompletableFuture.completedFuture(IngestOutcome.rejected(reason, message));
    }

    /** Writer thread: passes each frame on once per (VIN, seq); frames without seq always pass. */
    private void fanOut(List<Sample> committed) {
        List<Sample> fresh = new ArrayList<>(committed.size());
        Vin frameVin = null;
        long frameSeq = Sample.NO_SEQ;
        long frameTs = Long.MIN_VALUE;
        boolean keep = true;
        for (Sample sample : committed) {
            boolean newFrame = !sample.vin().equals(frameVin) || sample.seq() != frameSeq || sample.tsMs() != frameTs;
            if (newFrame) {
                frameVin = sample.vin();
                frameSeq = sample.seq();
                frameTs = sample.tsMs();
                keep = !sample.hasSeq() || seqWindow.firstTime(sample.vin(), sample.seq());
                if (!keep) {
                    duplicates.increment();
                }
            }
            if (keep) {
                fresh.add(sample);
            }
        }
        if (!fresh.isEmpty()) {
            consumers.accept(fresh);
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
