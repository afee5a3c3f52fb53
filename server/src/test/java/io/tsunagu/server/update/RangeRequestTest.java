package io.tsunagu.server.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RangeRequestTest {
    static final long LENGTH = 1000;
    static final String ETAG = "ab".repeat(32);

    static RangeRequest parse(String header) {
        return RangeRequest.parse(header, LENGTH);
    }

    static RangeRequest partial(long offset, long length) {
        return new RangeRequest.Partial(new ByteRange(offset, length));
    }

    @Test
    void aClosedRangeIsServedAsIs() {
        assertThat(parse("bytes=0-99")).isEqualTo(partial(0, 100));
        assertThat(parse("bytes=999-999")).isEqualTo(partial(999, 1));
    }

    @Test
    void anOpenRangeRunsToTheEnd() {
        assertThat(parse("bytes=500-")).isEqualTo(partial(500, 500));
    }

    @Test
    void aLastPositionPastTheEndIsCutAtTheEnd() {
        assertThat(parse("bytes=990-5000")).isEqualTo(partial(990, 10));
    }

    @Test
    void aSuffixRangeIsTheLastBytesOrEverything() {
        assertThat(parse("bytes=-100")).isEqualTo(partial(900, 100));
        assertThat(parse("bytes=-5000")).isEqualTo(partial(0, LENGTH));
    }

    @Test
    void aRangeBeyondTheEndOrAnEmptySuffixIsUnsatisfiable() {
        assertThat(parse("bytes=1000-")).isInstanceOf(RangeRequest.Unsatisfiable.class);
        assertThat(parse("bytes=1000-2000")).isInstanceOf(RangeRequest.Unsatisfiable.class);
        assertThat(parse("bytes=-0")).isInstanceOf(RangeRequest.Unsatisfiable.class);
        assertThat(parse("bytes=99999999999999999999999999-")).isInstanceOf(RangeRequest.Unsatisfiable.class);
    }

    @Test
    void malformedOrForeignRangesAreIgnored() {
        for (String header : new String[] {
            "bytes=5-4", "bytes=abc", "bytes=1-2-3", "bytes=", "bytes=-", "items=0-1", "0-1", "bytes=+1-2", "bytes=,"
        }) {
            assertThat(parse(header)).as(header).isInstanceOf(RangeRequest.Whole.class);
        }
        assertThat(parse("bytes=" + "0-1,".repeat(300) + "0-1")).isInstanceOf(RangeRequest.Whole.class);
    }

    @Test
    void unitAndWhitespaceAreReadLeniently() {
        assertThat(parse("Bytes=0-9")).isEqualTo(partial(0, 10));
        assertThat(parse("bytes= 0-9 ")).isEqualTo(partial(0, 10));
        assertThat(parse("bytes=0-9,")).as("empty list elements are ignored").isEqualTo(partial(0, 10));
    }

    @Test
    void severalSatisfiableRangesGetTheWholeContentButOneSatisfiableAmongOthersIsServed() {
        assertThat(parse("bytes=0-9,20-29")).isInstanceOf(RangeRequest.Whole.class);
        assertThat(parse("bytes=0-9, 2000-3000")).isEqualTo(partial(0, 10));
        assertThat(parse("bytes=2000-3000,-0")).isInstanceOf(RangeRequest.Unsatisfiable.class);
    }

    @Test
    void ifRangeWithTheCurrentEntityTagKeepsTheRangeAnythingElseDropsIt() {
        Optional<String> range = Optional.of("bytes=10-19");
        assertThat(RangeRequest.of(range, Optional.of('"' + ETAG + '"'), ETAG, LENGTH))
                .isEqualTo(partial(10, 10));
        assertThat(RangeRequest.of(range, Optional.empty(), ETAG, LENGTH)).isEqualTo(partial(10, 10));
        for (String ifRange :
                new String[] {'"' + "cd".repeat(32) + '"', "W/\"" + ETAG + '"', ETAG, "Tue, 01 Dec 2026 07:00:00 GMT"
                }) {
            assertThat(RangeRequest.of(range, Optional.of(ifRange), ETAG, LENGTH))
                    .as(ifRange)
                    .isInstanceOf(RangeRequest.Whole.class);
        }
        assertThat(RangeRequest.of(Optional.empty(), Optional.empty(), ETAG, LENGTH))
                .isInstanceOf(RangeRequest.Whole.class);
    }

    @Test
    void contentRangeCountsTheLastByteInclusive() {
        assertThat(new ByteRange(0, 100).contentRange(LENGTH)).isEqualTo("bytes 0-99/1000");
        assertThat(new ByteRange(999, 1).contentRange(LENGTH)).isEqualTo("bytes 999-999/1000");
    }
}
