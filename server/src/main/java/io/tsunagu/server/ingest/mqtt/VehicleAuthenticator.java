package io.tsunagu.server.ingest.mqtt;

import com.hivemq.extension.sdk.api.auth.SimpleAuthenticator;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthInput;
import com.hivemq.extension.sdk.api.auth.parameter.SimpleAuthOutput;
import com.hivemq.extension.sdk.api.auth.parameter.TopicPermission;
import com.hivemq.extension.sdk.api.client.parameter.ClientTlsInformation;
import com.hivemq.extension.sdk.api.packets.auth.DefaultAuthorizationBehaviour;
import com.hivemq.extension.sdk.api.packets.auth.ModifiableDefaultPermissions;
import com.hivemq.extension.sdk.api.packets.connect.ConnackReasonCode;
import com.hivemq.extension.sdk.api.services.builder.Builders;
import io.tsunagu.protocol.Topics;
import io.tsunagu.protocol.Vin;
import io.tsunagu.server.observe.Metrics;
import java.security.cert.X509Certificate;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authenticates a car by the client certificate of its TLS session (the listener already required one that chains to
 * the fleet CA): the certificate's CN must be a VIN, the MQTT client id must equal that VIN (so no car can take over
 * another's session), and the serial must be issued to that VIN and not revoked. Then grants exactly the car's own
 * topics; everything else is denied by default.
 */
final class VehicleAuthenticator implements SimpleAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(VehicleAuthenticator.class);

    private final CertificateTrust trust;
    private final Metrics metrics;

    VehicleAuthenticator(CertificateTrust trust, Metrics metrics) {
        this.trust = trust;
        this.metrics = metrics;
    }

    @Override
    public void onConnect(SimpleAuthInput input, SimpleAuthOutput output) {
        String clientId = input.getClientInformation().getClientId();
        Optional<X509Certificate> certificate = input.getConnectionInformation()
                .getClientTlsInformation()
                .flatMap(ClientTlsInformation::getClientCertificate);
        if (certificate.isEmpty()) {
            refuse(output, clientId, "no_client_certificate", "a client certificate is required");
            return;
        }
        Optional<String> cn = commonName(certificate.get());
        if (cn.isEmpty() || !Vin.isValid(cn.get())) {
            refuse(output, clientId, "certificate_not_a_vehicle", "certificate CN is not a VIN");
            return;
        }
        Vin vin = Vin.of(cn.get());
        if (!vin.value().equals(clientId)) {
            refuse(output, clientId, "client_id_mismatch", "client id must equal the certificate's VIN " + vin);
            return;
        }
        if (!trust.trusted(vin, certificate.get().getSerialNumber())) {
            refuse(output, clientId, "certificate_revoked", "certificate is revoked or not issued to this VIN");
            return;
        }
        grantOwnTopics(output.getDefaultPermissions(), vin);
        metrics.counter("tsunagu_mqtt_connects_total", "Cars authenticated on the MQTT gateway")
                .increment();
        output.authenticateSuccessfully();
    }

    private void refuse(SimpleAuthOutput output, String clientId, String code, String message) {
        metrics.counter("tsunagu_mqtt_auth_refused_total", "MQTT connections refused, by reason", "reason", code)
                .increment();
        LOG.warn("[client={}] connection refused ({}): {}", clientId, code, message);
        output.failAuthentication(ConnackReasonCode.NOT_AUTHORIZED, message);
    }

    private static void grantOwnTopics(ModifiableDefaultPermissions permissions, Vin vin) {
        permissions.setDefaultBehaviour(DefaultAuthorizationBehaviour.DENY);
        permissions.add(permission(Topics.telemetry(vin), TopicPermission.MqttActivity.PUBLISH));
        permissions.add(permission(Topics.status(vin), TopicPermission.MqttActivity.PUBLISH));
        permissions.add(permission(Topics.commandResult(vin), TopicPermission.MqttActivity.PUBLISH));
        permissions.add(permission(Topics.commands(vin), TopicPermission.MqttActivity.SUBSCRIBE));
        permissions.add(permission(Topics.updates(vin), TopicPermission.MqttActivity.SUBSCRIBE));
    }

    private static TopicPermission permission(String topic, TopicPermission.MqttActivity activity) {
        return Builders.topicPermission()
                .topicFilter(topic)
                .type(TopicPermission.PermissionType.ALLOW)
                .activity(activity)
                .build();
    }

    static Optional<String> commonName(X509Certificate certificate) {
        try {
            LdapName name = new LdapName(certificate.getSubjectX500Principal().getName());
            for (Rdn rdn : name.getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    return Optional.of(rdn.getValue().toString());
                }
            }
            return Optional.empty();
        } catch (InvalidNameException e) {
            return Optional.empty();
        }
    }
}
