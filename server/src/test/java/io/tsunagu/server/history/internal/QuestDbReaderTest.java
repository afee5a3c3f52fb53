package io.tsunagu.server.history.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.questdb.cairo.CairoEngine;
import io.questdb.cairo.DefaultCairoConfiguration;
import io.questdb.cairo.security.AllowAllSecurityContext;
import io.questdb.cairo.sql.PageFrame;
import io.questdb.griffin.SqlException;
import io.questdb.griffin.SqlExecutionContextImpl;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The statement cache: bounded, least recently used text dropped first, answers unchanged by eviction; page frames of a
 * plain read.
 */
class QuestDbReaderTest {
    @TempDir
    Path dir;

    private CairoEngine engine;
    private QuestDbReader reader;

    @BeforeEach
    void open() throws SqlException {
        engine = new CairoEngine(new DefaultCairoConfiguration(dir.toString()));
        try (SqlExecutionContextImpl context = new SqlExecutionContextImpl(engine, 1)) {
            context.with(AllowAllSecurityContext.INSTANCE, null);
            engine.execute("CREATE TABLE t AS (SELECT x FROM long_sequence(1000))", context);
        }
        reader = new QuestDbReader(engine);
    }

    @AfterEach
    void close() {
        reader.close();
        engine.close();
    }

    @Test
    void keepsAtMostTheBoundOfSqlTextsAndStillAnswersEvictedOnes() {
        int texts = QuestDbReader.MAX_CACHED_SQL + 40;
        for (int round = 0; round < 2; round++) {
            for (int i = 1; i <= texts; i++) {
                assertThat(count("SELECT count() FROM t WHERE x <= " + i)).isEqualTo(i);
                assertThat(reader.cachedTexts()).isLessThanOrEqualTo(QuestDbReader.MAX_CACHED_SQL);
            }
        }
        assertThat(reader.cachedTexts()).isEqualTo(QuestDbReader.MAX_CACHED_SQL);
    }

    @Test
    void aTextUsedOftenStaysCachedWhileNewTextsPushOutTheLeastRecentlyUsed() {
        String hot = "SELECT count() FROM t";
        for (int i = 1; i <= QuestDbReader.MAX_CACHED_SQL * 2; i++) {
            assertThat(count(hot)).isEqualTo(1000);
            assertThat(count("SELECT count() FROM t WHERE x > " + i)).isEqualTo(1000 - i);
        }
        assertThat(reader.cachedTexts()).isEqualTo(QuestDbReader.MAX_CACHED_SQL);
        assertThat(reader.isCached(hot)).isTrue();
        assertThat(reader.isCached("SELECT count() FROM t WHERE x > 1")).isFalse();
        assertThat(reader.isCached("SELECT count() FROM t WHERE x > " + QuestDbReader.MAX_CACHED_SQL * 2))
                .isTrue();
    }

    @Test
    void pageFramesOfAPlainReadHoldItsRowsAndAreCachedLikeAnyStatementWhileAComputedAnswerIsRefused() {
        String plain = "SELECT * FROM t";
        for (int round = 0; round < 2; round++) { // the second round reuses the compiled statement
            long rows = reader.withPageFrames(plain, List.of(), frames -> {
                long sum = 0;
                PageFrame frame;
                while ((frame = frames.next()) != null) {
                    sum += frame.getPartitionHi() - frame.getPartitionLo();
                }
                return sum;
            });
            assertThat(rows).isEqualTo(1000);
            assertThat(reader.isCached(plain)).isTrue();
        }
        assertThatThrownBy(() -> reader.withPageFrames("SELECT x, count() FROM t", List.of(), frames -> 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no page frames");
    }

    private long count(String sql) {
        return reader.singleLong(sql, List.of());
    }
}
