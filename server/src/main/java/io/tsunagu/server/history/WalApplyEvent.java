package io.tsunagu.server.history;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event: applying committed WAL transactions to the history table, which makes them visible to readers. */
@Name("io.tsunagu.HistoryWalApply")
@Label("History WAL apply")
@Category({"Tsunagu", "History"})
@Description("Committed WAL transactions merged into the history table (O3 merge, dedup, index, column sync)")
final class WalApplyEvent extends Event {
    @Label("Transactions")
    long transactions;
}
