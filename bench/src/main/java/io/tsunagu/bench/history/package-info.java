/**
 * The {@code history-query} benchmark's engines: a seeded, realistic EV data set ({@link
 * io.tsunagu.bench.history.HistoryDataSet}) loaded into Tsunagu's history store and into DuckDB, and the same three
 * questions asked of each ({@link io.tsunagu.bench.history.HistoryEngine}): Tsunagu's history query API, QuestDB SQL
 * on the same table, and DuckDB SQL. Answers come back in one comparable form ({@link
 * io.tsunagu.bench.history.Answer}) so the benchmark can check that every engine answered the same before it compares
 * their speed.
 */
@NullMarked
package io.tsunagu.bench.history;

import org.jspecify.annotations.NullMarked;
