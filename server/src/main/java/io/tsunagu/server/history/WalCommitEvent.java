package io.tsunagu.server.history;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event: one durable append, i.e. rows written to the write-ahead log and the commit fsynced. */
@Name("io.tsunagu.HistoryWalCommit")
@Label("History WAL commit")
@Category({"Tsunagu", "History"})
@Description("Samples written to the history write-ahead log and fsynced (what an acknowledgement waits for)")
final class WalCommitEvent extends Event {
    @Label("Samples")
    int samples;
}
