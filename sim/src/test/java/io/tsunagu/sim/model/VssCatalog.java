package io.tsunagu.sim.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The VSS 6.0 catalog (test resource copy of shared/vss) for checking emitted signals. */
final class VssCatalog {
    private final JsonNode root;

    VssCatalog() throws IOException {
        try (InputStream in = VssCatalog.class.getResourceAsStream("/vss/vss_release_6.0.json")) {
            root = new ObjectMapper().readTree(in);
        }
    }

    /** The leaf node for a dotted path, if the catalog has it. */
    Optional<JsonNode> leaf(String path) {
        String[] parts = path.split("\\.");
        JsonNode node = root.get(parts[0]);
        for (int i = 1; i < parts.length && node != null; i++) {
            node = node.path("children").get(parts[i]);
        }
        return node == null || node.has("children") ? Optional.empty() : Optional.of(node);
    }

    /** Why {@code value} is not a valid value of the signal at {@code path}; empty when it is. */
    Optional<String> problem(String path, Object value) {
        Optional<JsonNode> leaf = leaf(path);
        if (leaf.isEmpty()) {
            return Optional.of(path + " is not a VSS 6.0 signal");
        }
        String datatype = leaf.get().path("datatype").asText();
        Optional<String> typeProblem = typeProblem(datatype, value);
        if (typeProblem.isPresent()) {
            return typeProblem.map(p -> path + ": " + p);
        }
        if (value instanceof Number number) {
            double v = number.doubleValue();
            JsonNode min = leaf.get().get("min");
            JsonNode max = leaf.get().get("max");
            if (min != null && v < min.asDouble() || max != null && v > max.asDouble()) {
                return Optional.of(path + ": " + v + " outside [" + min + ", " + max + "]");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> typeProblem(String datatype, Object value) {
        return switch (datatype) {
            case "float", "double" ->
                value instanceof Double d && Double.isFinite(d)
                        ? Optional.empty()
                        : Optional.of("expected a finite Double for " + datatype + ", got " + value);
            case "boolean" ->
                value instanceof Boolean ? Optional.empty() : Optional.of("expected Boolean, got " + value);
            case "string" -> value instanceof String ? Optional.empty() : Optional.of("expected String, got " + value);
            case "uint8", "uint16", "uint32", "uint64", "int8", "int16", "int32", "int64" ->
                integerProblem(datatype, value);
            default -> Optional.of("unsupported datatype " + datatype);
        };
    }

    private static Optional<String> integerProblem(String datatype, Object value) {
        if (!(value instanceof Long l)) {
            return Optional.of("expected Long for " + datatype + ", got " + value);
        }
        boolean unsigned = datatype.startsWith("u");
        int bits = Integer.parseInt(datatype.replaceAll("\\D", ""));
        double max = unsigned ? Math.pow(2, bits) - 1 : Math.pow(2, bits - 1) - 1;
        double min = unsigned ? 0 : -Math.pow(2, bits - 1);
        return l < min || l > max ? Optional.of(l + " does not fit " + datatype) : Optional.empty();
    }
}
