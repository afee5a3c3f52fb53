package io.tsunagu.protocol.vss;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * Reads the VSS JSON tree ({@code {"Vehicle": {"type": "branch", "children": {...}}}}) into signals and branches.
 * Applied to a base catalog it works as a VSS overlay: a node that exists keeps every field the overlay does not set,
 * a JSON {@code null} removes an optional field, and a node without {@code type} but with {@code children} is an
 * implicit branch. Single use, not thread-safe.
 */
final class CatalogReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final Map<String, SignalSpec> signals;
    private final Set<String> branches;
    private final String source;
    private final boolean overlay;

    private CatalogReader(Map<String, SignalSpec> signals, Set<String> branches, String source, boolean overlay) {
        this.signals = signals;
        this.branches = branches;
        this.source = source;
        this.overlay = overlay;
    }

    /** Reads a complete catalog. */
    static CatalogReader base(String source) {
        return new CatalogReader(new LinkedHashMap<>(), new HashSet<>(), source, false);
    }

    /** Starts from an existing catalog's content, to apply an overlay to it. */
    static CatalogReader overlay(Map<String, SignalSpec> signals, Set<String> branches, String source) {
        return new CatalogReader(new LinkedHashMap<>(signals), new HashSet<>(branches), source, true);
    }

    Map<String, SignalSpec> signals() {
        return signals;
    }

    Set<String> branches() {
        return branches;
    }

    CatalogReader read(InputStream in) {
        JsonNode root;
        try {
            root = MAPPER.readTree(in);
        } catch (JsonProcessingException e) {
            var at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + " column " + at.getColumnNr();
            throw new InvalidCatalogException(source + ": invalid JSON" + where + ": " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new InvalidCatalogException(source + ": cannot read: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new InvalidCatalogException(
                    source + ": expected a JSON object of root nodes such as {\"Vehicle\": ...}");
        }
        for (var entry : root.properties()) {
            visit(checkedName("", entry.getKey()), entry.getValue());
        }
        return this;
    }

    private void visit(String path, JsonNode node) {
        if (!node.isObject()) {
            throw error(path, "a node must be a JSON object, got " + node.getNodeType());
        }
        String type = type(path, node);
        if (type.equals("branch")) {
            visitBranch(path, node);
            return;
        }
        SignalKind kind = SignalKind.fromVssName(type)
                .orElseThrow(() -> error(path, "unknown type '" + type + "' (branch, sensor, actuator, attribute)"));
        if (branches.contains(path)) {
            throw error(path, "is a branch in the catalog and cannot become a " + type);
        }
        if (node.has("children")) {
            throw error(path, "a " + type + " cannot have children");
        }
        SignalSpec spec = spec(path, kind, node, Optional.ofNullable(signals.get(path)));
        signals.put(path, spec);
    }

    private String type(String path, JsonNode node) {
        JsonNode type = node.get("type");
        if (type != null && !type.isNull()) {
            if (!type.isTextual()) {
                throw error(path, "field 'type' must be a string");
            }
            return type.asText();
        }
        if (overlay && signals.containsKey(path)) {
            return signals.get(path).kind().vssName();
        }
        if (overlay && (branches.contains(path) || node.has("children"))) {
            return "branch";
        }
        throw error(path, "field 'type' is missing");
    }

    private void visitBranch(String path, JsonNode node) {
        if (signals.containsKey(path)) {
            throw error(path, "is a signal in the catalog and cannot become a branch");
        }
        branches.add(path);
        JsonNode children = node.get("children");
        if (children == null || children.isNull()) {
            return;
        }
        if (!children.isObject()) {
            throw error(path, "field 'children' must be an object");
        }
        for (var entry : children.properties()) {
            visit(checkedName(path, entry.getKey()), entry.getValue());
        }
    }

    private String checkedName(String parent, String name) {
        String path = parent.isEmpty() ? name : parent + "." + name;
        if (name.isEmpty() || name.indexOf('.') >= 0 || !name.strip().equals(name)) {
            throw error(path, "node name '" + name + "' must be non-empty, without dots or surrounding spaces");
        }
        return path;
    }

    private SignalSpec spec(String path, SignalKind kind, JsonNode node, Optional<SignalSpec> base) {
        VssDatatype datatype = node.has("datatype")
                ? datatype(path, node.get("datatype"))
                : base.map(SignalSpec::datatype).orElseThrow(() -> error(path, "field 'datatype' is missing"));
        Optional<String> unit = node.has("unit") ? optionalText(path, node, "unit") : base.flatMap(SignalSpec::unit);
        OptionalDouble min = node.has("min")
                ? bound(path, node, "min")
                : base.map(SignalSpec::min).orElse(OptionalDouble.empty());
        OptionalDouble max = node.has("max")
                ? bound(path, node, "max")
                : base.map(SignalSpec::max).orElse(OptionalDouble.empty());
        List<String> allowed = node.has("allowed")
                ? allowed(path, node.get("allowed"), datatype)
                : base.map(SignalSpec::allowed).orElse(List.of());
        String description = node.has("description")
                ? optionalText(path, node, "description").orElse("")
                : base.map(SignalSpec::description).orElse("");
        checkBounds(path, datatype, min, max);
        return new SignalSpec(path, kind, datatype, unit, min, max, allowed, description);
    }

    private void checkBounds(String path, VssDatatype datatype, OptionalDouble min, OptionalDouble max) {
        if ((min.isPresent() || max.isPresent()) && !datatype.isNumeric()) {
            throw error(path, "min/max are set but datatype " + datatype + " is not numeric");
        }
        if (min.isPresent() && max.isPresent() && min.getAsDouble() > max.getAsDouble()) {
            throw error(
                    path,
                    "min " + SignalRule.number(min.getAsDouble()) + " is greater than max "
                            + SignalRule.number(max.getAsDouble()));
        }
    }

    private VssDatatype datatype(String path, JsonNode node) {
        if (!node.isTextual()) {
            throw error(path, "field 'datatype' must be a string");
        }
        return VssDatatype.fromVssName(node.asText())
                .orElseThrow(() -> error(path, "unsupported datatype '" + node.asText() + "'"));
    }

    private Optional<String> optionalText(String path, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value.isNull()) {
            return Optional.empty();
        }
        if (!value.isTextual()) {
            throw error(path, "field '" + field + "' must be a string");
        }
        return Optional.of(value.asText());
    }

    private OptionalDouble bound(String path, JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value.isNull()) {
            return OptionalDouble.empty();
        }
        if (!value.isNumber() || !Double.isFinite(value.asDouble())) {
            throw error(path, "field '" + field + "' must be a number, got " + value);
        }
        return OptionalDouble.of(value.asDouble());
    }

    private List<String> allowed(String path, JsonNode node, VssDatatype datatype) {
        if (node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw error(path, "field 'allowed' must be an array");
        }
        List<String> values = new ArrayList<>(node.size());
        for (JsonNode item : node) {
            boolean fits = datatype.isNumeric()
                    ? item.isNumber()
                    : datatype.elementType() == VssDatatype.STRING && item.isTextual();
            if (!fits) {
                throw error(path, "allowed value " + item + " does not match datatype " + datatype);
            }
            values.add(item.isNumber() ? SignalRule.number(item.asDouble()) : item.asText());
        }
        return values;
    }

    private InvalidCatalogException error(String path, String problem) {
        return new InvalidCatalogException(source + ": node '" + path + "': " + problem);
    }
}
