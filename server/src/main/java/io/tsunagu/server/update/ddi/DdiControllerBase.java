package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * The answer to a poll, {@code GET /{tenant}/controller/v1/{controllerId}}: the polling configuration and the links
 * to what the device should do next. hawkBit's link names, of which only the ones that apply are present: {@link
 * #DEPLOYMENT_BASE} (an open update), {@link #CANCEL_ACTION} (a cancel to confirm; replaces the deployment link),
 * {@link #INSTALLED_BASE} (the last successful action), {@link #CONFIG_DATA} (the server wants the controller
 * attributes).
 *
 * @param links in hawkBit's {@code _links}, insertion-ordered; empty when the device has nothing to do
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiControllerBase(
        DdiConfig config,

        @JsonProperty("_links") @JsonInclude(JsonInclude.Include.NON_EMPTY)
        Map<String, DdiLink> links) {
    public static final String DEPLOYMENT_BASE = "deploymentBase";
    public static final String CANCEL_ACTION = "cancelAction";
    public static final String INSTALLED_BASE = "installedBase";
    public static final String CONFIG_DATA = "configData";

    public DdiControllerBase {
        DdiChecks.require(config, "config");
        links = DdiChecks.orderedCopy(links);
    }
}
