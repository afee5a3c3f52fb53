package io.tsunagu.agent;

import io.tsunagu.protocol.Topics;

/** How telemetry is encoded on {@code vehicles/{vin}/telemetry}; the MQTT 5 content type says which. */
public enum PublishFormat {
    /** {@code TelemetryBatch} protobuf, the compact default. */
    PROTOBUF(Topics.CONTENT_TYPE_PROTOBUF),
    /** JSON with the same content, for debugging and simple integrations. */
    JSON(Topics.CONTENT_TYPE_JSON);

    private final String contentType;

    PublishFormat(String contentType) {
        this.contentType = contentType;
    }

    public String contentType() {
        return contentType;
    }
}
