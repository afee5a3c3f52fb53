package io.tsunagu.server.ingest;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/** JFR event: one group commit of the ingest writer, from the durable write to completing the waiting futures. */
@Name("io.tsunagu.IngestGroupCommit")
@Label("Ingest group commit")
@Category({"Tsunagu", "Ingest"})
@Description("One durable write of everything queued, the fan-out to consumers, and the acknowledgements")
final class GroupCommitEvent extends Event {
    @Label("Messages")
    int messages;

    @Label("Samples")
    int samples;

    @Label("Durable write")
    @Timespan(Timespan.NANOSECONDS)
    long durableNanos;

    @Label("Fan-out")
    @Timespan(Timespan.NANOSECONDS)
    long fanOutNanos;

    @Label("Oldest message queued")
    @Timespan(Timespan.NANOSECONDS)
    long oldestQueuedNanos;
}
