package io.tsunagu.server.ingest.mqtt;

import io.netty.handler.ssl.OpenSslCertificateException;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.PKIXReason;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The JDK's PKIX trust manager for client certificates when {@code -Dtsunagu.mqtt.client-trust=pkix} is set (the
 * default is {@link FleetCaTrust}), as OpenSSL calls it back during the handshake: the decision
 * is the JDK's, only the alert is chosen here. Netty reports a refusal it cannot classify as an unspecified error,
 * which BoringSSL sends as {@code internal_error}; a chain that does not lead to the fleet CA is sent as {@code
 * unknown_ca} and a bad signature as a signature failure instead (RFC 8446 §6.2). Expired and not-yet-valid
 * certificates keep Netty's mapping ({@code certificate_expired}). The JDK provider sends {@code certificate_unknown}
 * for all of them.
 */
final class OpenSslClientTrust extends X509ExtendedTrustManager {
    /** OpenSSL's X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY: no path to a trusted CA (alert unknown_ca). */
    static final int UNKNOWN_ISSUER = 20;
    /** OpenSSL's X509_V_ERR_CERT_SIGNATURE_FAILURE. */
    static final int SIGNATURE_FAILURE = 7;

    private final X509ExtendedTrustManager jdk;

    OpenSslClientTrust(X509ExtendedTrustManager jdk) {
        this.jdk = jdk;
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        try {
            jdk.checkClientTrusted(chain, authType, engine);
        } catch (CertificateException e) {
            throw classified(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        try {
            jdk.checkClientTrusted(chain, authType, socket);
        } catch (CertificateException e) {
            throw classified(e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        try {
            jdk.checkClientTrusted(chain, authType);
        } catch (CertificateException e) {
            throw classified(e);
        }
    }

    static CertificateException classified(CertificateException refusal) {
        for (Throwable cause = refusal; cause != null; cause = cause.getCause()) {
            // No path to the fleet CA: a chain without its CA fails path building, one with a foreign CA validation.
            if (cause instanceof CertPathBuilderException
                    || cause instanceof CertPathValidatorException noAnchor
                            && noAnchor.getReason() == PKIXReason.NO_TRUST_ANCHOR) {
                return new OpenSslCertificateException(refusal.getMessage(), refusal, UNKNOWN_ISSUER);
            }
            if (cause instanceof CertPathValidatorException invalid
                    && invalid.getReason() == CertPathValidatorException.BasicReason.INVALID_SIGNATURE) {
                return new OpenSslCertificateException(refusal.getMessage(), refusal, SIGNATURE_FAILURE);
            }
        }
        return refusal; // expiry and the rest: Netty's own mapping
    }

    // The gateway is a server: it never checks a server certificate.
    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        jdk.checkServerTrusted(chain, authType, engine);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        jdk.checkServerTrusted(chain, authType, socket);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        jdk.checkServerTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return jdk.getAcceptedIssuers();
    }
}
