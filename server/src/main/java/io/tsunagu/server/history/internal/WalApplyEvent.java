package io.tsunagu.server.history.internal;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** JFR event: one round of applying WAL transactions to the history table (off the acknowledgement path). */
@Name("io.tsunagu.HistoryWalApply")
@Label("History WAL apply")
@Category({"Tsunagu", "History"})
@Description("Committed WAL transactions merged into the history table and made visible to readers")
final class WalApplyEvent extends Event {
    @Label("Applied before")
    long fromTxn;

    @Label("Applied after")
    long toTxn;

    @Label("Transactions")
    long transactions;

    void record(long before, long after) {
        if (after > before && shouldCommit()) {
            fromTxn = before;
            toTxn = after;
            transactions = after - before;
            commit();
        }
    }
}
