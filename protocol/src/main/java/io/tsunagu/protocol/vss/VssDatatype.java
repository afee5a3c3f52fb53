package io.tsunagu.protocol.vss;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The VSS primitive datatypes and their array forms (VSS 6.0 "Datatypes"). Integer types carry their width so that a
 * value which does not fit (300 for {@code uint8}) is a datatype error, not merely out of the signal's range.
 */
public enum VssDatatype {
    BOOLEAN("boolean", Family.BOOLEAN, 0, 0),
    STRING("string", Family.STRING, 0, 0),
    INT8("int8", Family.INTEGER, Byte.MIN_VALUE, Byte.MAX_VALUE),
    INT16("int16", Family.INTEGER, Short.MIN_VALUE, Short.MAX_VALUE),
    INT32("int32", Family.INTEGER, Integer.MIN_VALUE, Integer.MAX_VALUE),
    INT64("int64", Family.INTEGER, Long.MIN_VALUE, Long.MAX_VALUE),
    UINT8("uint8", Family.INTEGER, 0, 0xFFL),
    UINT16("uint16", Family.INTEGER, 0, 0xFFFFL),
    UINT32("uint32", Family.INTEGER, 0, 0xFFFF_FFFFL),
    /** Held as {@code long} up to {@link Long#MAX_VALUE}; larger values arrive as integral doubles. */
    UINT64("uint64", Family.INTEGER, 0, Long.MAX_VALUE),
    FLOAT("float", Family.DECIMAL, 0, 0),
    DOUBLE("double", Family.DECIMAL, 0, 0),
    BOOLEAN_ARRAY(BOOLEAN),
    STRING_ARRAY(STRING),
    INT8_ARRAY(INT8),
    INT16_ARRAY(INT16),
    INT32_ARRAY(INT32),
    INT64_ARRAY(INT64),
    UINT8_ARRAY(UINT8),
    UINT16_ARRAY(UINT16),
    UINT32_ARRAY(UINT32),
    UINT64_ARRAY(UINT64),
    FLOAT_ARRAY(FLOAT),
    DOUBLE_ARRAY(DOUBLE);

    /** How a value of the (element) type is represented and checked. */
    enum Family {
        BOOLEAN,
        STRING,
        INTEGER,
        DECIMAL
    }

    private static final Map<String, VssDatatype> BY_NAME = new HashMap<>();

    static {
        for (VssDatatype type : values()) {
            BY_NAME.put(type.vssName, type);
        }
    }

    private final String vssName;
    private final Family family;
    private final boolean array;
    final long minLong;
    final long maxLong;
    final double minDouble;
    /** Smallest double above the integer range: an exact power of two, so {@code d < maxExclusive} is precise. */
    final double maxExclusive;

    VssDatatype(String vssName, Family family, long minLong, long maxLong) {
        this.vssName = vssName;
        this.family = family;
        this.array = false;
        this.minLong = minLong;
        this.maxLong = maxLong;
        this.minDouble = minLong;
        this.maxExclusive = vssName.equals("uint64") ? 0x1p64 : (double) maxLong + 1;
    }

    VssDatatype(VssDatatype element) {
        this.vssName = element.vssName + "[]";
        this.family = element.family;
        this.array = true;
        this.minLong = element.minLong;
        this.maxLong = element.maxLong;
        this.minDouble = element.minDouble;
        this.maxExclusive = element.maxExclusive;
    }

    /** The name as written in a VSS {@code datatype} field, e.g. {@code uint8} or {@code string[]}. */
    public String vssName() {
        return vssName;
    }

    /** True for the {@code []} forms. */
    public boolean isArray() {
        return array;
    }

    /** True if values (or elements) are numbers. */
    public boolean isNumeric() {
        return family == Family.INTEGER || family == Family.DECIMAL;
    }

    /** True if values (or elements) are whole numbers of a fixed width. */
    public boolean isInteger() {
        return family == Family.INTEGER;
    }

    /** The datatype of one element: {@code float} for {@code float[]}, itself for scalar types. */
    public VssDatatype elementType() {
        return array ? BY_NAME.get(vssName.substring(0, vssName.length() - 2)) : this;
    }

    Family family() {
        return family;
    }

    /** The datatype for a VSS {@code datatype} value; empty for unknown names and struct types. */
    public static Optional<VssDatatype> fromVssName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    @Override
    public String toString() {
        return vssName;
    }
}
