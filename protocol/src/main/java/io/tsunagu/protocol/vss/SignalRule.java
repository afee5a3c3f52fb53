package io.tsunagu.protocol.vss;

import io.tsunagu.protocol.telemetry.RejectReason;
import io.tsunagu.protocol.telemetry.SignalValue;
import io.tsunagu.protocol.vss.ValidationResult.Accepted;
import io.tsunagu.protocol.vss.ValidationResult.Rejected;
import io.tsunagu.protocol.vss.VssDatatype.Family;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One signal's checks, precomputed from its {@link SignalSpec} so that {@link #check} does no parsing and allocates
 * only the accepted value (messages are built on rejection only). Immutable, safe for any number of threads.
 */
final class SignalRule {
    /** Element index meaning "the value itself, not an array element". */
    private static final int SCALAR = -1;

    private final SignalSpec spec;
    private final Family family;
    private final VssDatatype element;
    private final double min;
    private final double max;
    private final Set<String> allowedText;
    private final double[] allowedNumbers;

    SignalRule(SignalSpec spec) {
        this.spec = spec;
        this.element = spec.datatype().elementType();
        this.family = element.family();
        this.min = spec.min().orElse(Double.NEGATIVE_INFINITY);
        this.max = spec.max().orElse(Double.POSITIVE_INFINITY);
        this.allowedText = family == Family.STRING ? Set.copyOf(spec.allowed()) : Set.of();
        this.allowedNumbers = element.isNumeric()
                ? spec.allowed().stream().mapToDouble(Double::parseDouble).toArray()
                : new double[0];
    }

    SignalSpec spec() {
        return spec;
    }

    ValidationResult check(Object raw) {
        if (spec.datatype().isArray()) {
            return checkArray(raw);
        }
        Rejected problem = checkElement(raw, SCALAR);
        if (problem != null) {
            return problem;
        }
        return new Accepted(
                switch (family) {
                    case BOOLEAN -> SignalValue.of((Boolean) raw);
                    case STRING -> SignalValue.of((String) raw);
                    case INTEGER, DECIMAL -> SignalValue.of(((Number) raw).doubleValue());
                },
                spec.path());
    }

    private ValidationResult checkArray(Object raw) {
        if (!(raw instanceof List<?> list)) {
            return reject(
                    RejectReason.WRONG_DATATYPE, SCALAR, "expected an array of " + element + ", got " + describe(raw));
        }
        if (family == Family.BOOLEAN) {
            // SignalValue has no boolean-list form; no VSS 6.0 signal uses boolean[].
            return reject(RejectReason.WRONG_DATATYPE, SCALAR, "boolean[] values are not supported");
        }
        List<String> texts = family == Family.STRING ? new ArrayList<>(list.size()) : List.of();
        List<Double> numbers = family == Family.STRING ? List.of() : new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            Rejected problem = item == null ? wrongType(null, i) : checkElement(item, i);
            if (problem != null) {
                return problem;
            }
            if (family == Family.STRING) {
                texts.add((String) item);
            } else {
                numbers.add(((Number) item).doubleValue());
            }
        }
        return new Accepted(
                family == Family.STRING ? new SignalValue.TextList(texts) : new SignalValue.NumList(numbers),
                spec.path());
    }

    private @Nullable Rejected checkElement(Object raw, int index) {
        return switch (family) {
            case BOOLEAN -> raw instanceof Boolean ? null : wrongType(raw, index);
            case STRING -> raw instanceof String s ? checkAllowedText(s, index) : wrongType(raw, index);
            case INTEGER -> checkInteger(raw, index);
            case DECIMAL -> checkDecimal(raw, index);
        };
    }

    private @Nullable Rejected checkInteger(Object raw, int index) {
        if (raw instanceof Long || raw instanceof Integer || raw instanceof Short || raw instanceof Byte) {
            long value = ((Number) raw).longValue();
            if (value < element.minLong || value > element.maxLong) {
                return doesNotFit(raw, index);
            }
            return checkBounds(value, raw, index);
        }
        if (!(raw instanceof Number number)) {
            return wrongType(raw, index);
        }
        double value = number.doubleValue();
        if (!Double.isFinite(value) || value != Math.rint(value)) {
            return reject(RejectReason.WRONG_DATATYPE, index, "expected an integer (" + element + "), got " + raw);
        }
        if (value < element.minDouble || value >= element.maxExclusive) {
            return doesNotFit(raw, index);
        }
        return checkBounds(value, raw, index);
    }

    private @Nullable Rejected checkDecimal(Object raw, int index) {
        if (!(raw instanceof Number number)) {
            return wrongType(raw, index);
        }
        double value = number.doubleValue();
        if (!Double.isFinite(value)) {
            return reject(RejectReason.WRONG_DATATYPE, index, "expected a finite " + element + ", got " + raw);
        }
        if (element == VssDatatype.FLOAT && Math.abs(value) > Float.MAX_VALUE) {
            return doesNotFit(raw, index);
        }
        return checkBounds(value, raw, index);
    }

    private @Nullable Rejected checkBounds(double value, Object raw, int index) {
        if (value < min || value > max) {
            return reject(
                    RejectReason.OUT_OF_RANGE, index, "value " + withUnit(raw) + " is out of range (" + bounds() + ")");
        }
        if (allowedNumbers.length == 0) {
            return null;
        }
        for (double allowed : allowedNumbers) {
            if (allowed == value) {
                return null;
            }
        }
        return notAllowed(raw, index);
    }

    private @Nullable Rejected checkAllowedText(String value, int index) {
        if (allowedText.isEmpty() || allowedText.contains(value)) {
            return null;
        }
        return notAllowed("'" + abbreviate(value) + "'", index);
    }

    private Rejected notAllowed(Object shown, int index) {
        return reject(
                RejectReason.NOT_ALLOWED_VALUE,
                index,
                "value " + shown + " is not one of the allowed values " + spec.allowed());
    }

    private Rejected doesNotFit(Object raw, int index) {
        return reject(RejectReason.WRONG_DATATYPE, index, "value " + raw + " does not fit datatype " + element);
    }

    private Rejected wrongType(@Nullable Object raw, int index) {
        return reject(RejectReason.WRONG_DATATYPE, index, "expected " + element + ", got " + describe(raw));
    }

    private Rejected reject(RejectReason reason, int index, String problem) {
        String where = index == SCALAR ? spec.path() : spec.path() + "[" + index + "]";
        return new Rejected(reason, where + ": " + problem);
    }

    private String bounds() {
        String unit = spec.unit().map(u -> " " + u).orElse("");
        StringBuilder text = new StringBuilder();
        spec.min().ifPresent(v -> text.append("min ").append(number(v)).append(unit));
        spec.max()
                .ifPresent(v -> text.append(text.isEmpty() ? "" : ", ")
                        .append("max ")
                        .append(number(v))
                        .append(unit));
        return text.toString();
    }

    private String withUnit(Object raw) {
        return raw + spec.unit().map(u -> " " + u).orElse("");
    }

    static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15
                ? Long.toString((long) value)
                : Double.toString(value);
    }

    static String describe(@Nullable Object raw) {
        return switch (raw) {
            case null -> "null";
            case String s -> "string '" + abbreviate(s) + "'";
            case Boolean b -> "boolean " + b;
            case Long l -> "integer " + l;
            case Integer i -> "integer " + i;
            case Number n -> "number " + n;
            case List<?> l -> "an array of " + l.size() + " elements";
            default -> raw.getClass().getSimpleName();
        };
    }

    private static String abbreviate(String text) {
        return text.length() <= 64 ? text : text.substring(0, 61) + "...";
    }
}
