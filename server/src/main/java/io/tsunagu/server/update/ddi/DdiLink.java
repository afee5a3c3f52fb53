package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** A hypermedia link, as hawkBit renders one in {@code _links}: {@code {"href": "https://..."}}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DdiLink(String href) {
    public DdiLink {
        DdiChecks.require(href, "href");
    }
}
