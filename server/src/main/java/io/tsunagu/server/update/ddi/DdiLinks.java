package io.tsunagu.server.update.ddi;

import io.tsunagu.protocol.Vin;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Builds the hrefs of one request's answer. Links point back at the authority (scheme, host, port) the device used, as
 * hawkBit derives them from the request: a device that came over HTTPS gets {@code download} and {@code md5sum}, one
 * that came over plain HTTP {@code download-http} and {@code md5sum-http}, so a client never gets sent to a listener
 * or trust setting it was not configured for.
 *
 * @param origin {@code scheme://host:port} of the request, without a trailing slash
 * @param secure whether the request came over TLS
 */
public record DdiLinks(String origin, String tenant, Vin vin, boolean secure) {
    /** The controller's base path: {@code <origin>/<tenant>/controller/v1/<vin>}. */
    public String base() {
        return origin + "/" + tenant + "/controller/v1/" + vin.value();
    }

    public DdiLink deploymentBase(long actionId, int etag) {
        return new DdiLink(base() + "/deploymentBase/" + actionId + "?c=" + etag);
    }

    public DdiLink cancelAction(long actionId) {
        return new DdiLink(base() + "/cancelAction/" + actionId);
    }

    public DdiLink installedBase(long actionId) {
        return new DdiLink(base() + "/installedBase/" + actionId);
    }

    public DdiLink configData() {
        return new DdiLink(base() + "/configData");
    }

    /** The artifact's download and MD5SUM links, named for the scheme of the request. */
    public Map<String, DdiLink> artifact(DdiModuleId module, String filename) {
        String href = base() + "/softwaremodules/" + module.value() + "/artifacts/"
                + URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
        Map<String, DdiLink> links = new LinkedHashMap<>();
        links.put(secure ? DdiArtifact.DOWNLOAD : DdiArtifact.DOWNLOAD_HTTP, new DdiLink(href));
        links.put(secure ? DdiArtifact.MD5SUM : DdiArtifact.MD5SUM_HTTP, new DdiLink(href + ".MD5SUM"));
        return links;
    }
}
