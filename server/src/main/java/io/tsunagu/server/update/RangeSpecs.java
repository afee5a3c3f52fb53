package io.tsunagu.server.update;

import java.util.Optional;

/** One {@code range-spec} of RFC 9110 14.1.2: {@code first-"-"[last]} or {@code "-"suffix-length}. */
final class RangeSpecs {
    /** More digits than this cannot be a position in any file; read as "beyond the end". */
    private static final int MAX_DIGITS = 18;

    private RangeSpecs() {}

    /**
     * Empty if the spec is malformed; otherwise the satisfiable part of it (empty if it lies wholly beyond the end
     * or is a zero-length suffix).
     */
    static Optional<Optional<ByteRange>> parse(String spec, long lengthBytes) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return Optional.empty();
        }
        String first = spec.substring(0, dash);
        String last = spec.substring(dash + 1);
        if (first.isEmpty()) {
            return digits(last) ? Optional.of(suffix(number(last), lengthBytes)) : Optional.empty();
        }
        if (!digits(first) || !(last.isEmpty() || digits(last))) {
            return Optional.empty();
        }
        long from = number(first);
        long to = last.isEmpty() ? Long.MAX_VALUE : number(last);
        if (to < from) {
            return Optional.empty(); // 14.1.1: an int-range with last-pos < first-pos is invalid
        }
        if (from >= lengthBytes) {
            return Optional.of(Optional.empty());
        }
        long end = Math.min(to, lengthBytes - 1);
        return Optional.of(Optional.of(new ByteRange(from, end - from + 1)));
    }

    private static Optional<ByteRange> suffix(long suffixLength, long lengthBytes) {
        if (suffixLength == 0) {
            return Optional.empty();
        }
        long length = Math.min(suffixLength, lengthBytes);
        return Optional.of(new ByteRange(lengthBytes - length, length));
    }

    private static boolean digits(String text) {
        if (text.isEmpty()) {
            return false;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private static long number(String digits) {
        String significant = digits.replaceFirst("^0+(?=.)", "");
        return significant.length() > MAX_DIGITS ? Long.MAX_VALUE : Long.parseLong(significant);
    }
}
