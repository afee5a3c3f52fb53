package io.tsunagu.server.ingest.mqtt;

/**
 * What every connection of the gateway shares.
 *
 * @param receiveMaximum QoS 1 publishes a car may have unacknowledged (advertised in CONNACK, enforced)
 * @param maxPacketBytes largest MQTT packet accepted (advertised in CONNACK; larger ones end the connection)
 */
record GatewayContext(
        VehicleAuthenticator authenticator,
        SessionRegistry sessions,
        ConnectionTracker tracker,
        InboundPublishes inbound,
        CommandChannel commands,
        int receiveMaximum,
        int maxPacketBytes) {}
