package io.tsunagu.server.fleet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tsunagu.protocol.Vin;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Real JDK TLS over loopback: the server identity and vehicle credentials from the CA authenticate each other. */
class MutualTlsTest {
    static final Vin VIN = Vin.of("WVWZZZ1JZXW000001");
    static final char[] PASSWORD = "changeit".toCharArray();
    static final int TIMEOUT_MS = 10_000;

    @TempDir
    Path dir;

    CertificateAuthority authority;
    SSLServerSocket server;

    @BeforeEach
    void startServer() throws Exception {
        authority = CertificateAuthority.open(dir.resolve("ca"), Clock.systemUTC());
        ServerIdentity identity = authority.serverIdentity(List.of("localhost"), List.of("127.0.0.1"));
        SSLContext context = context(
                identity.keyStore(PASSWORD), load(identity.writeTrustStore(dir.resolve("trust.p12"), PASSWORD)));
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0);
        server.setNeedClientAuth(true);
        server.setSoTimeout(TIMEOUT_MS);
    }

    @AfterEach
    void stopServer() throws IOException {
        server.close();
    }

    @Test
    void vehicleWithIssuedCredentialsCompletesHandshakeAndServerSeesVin() throws Exception {
        IssuedCredentials credentials = authority.issueVehicle(VIN, Duration.ofDays(1));
        CompletableFuture<String> peer = acceptOne();

        try (SSLSocket client = connect(credentials)) {
            client.startHandshake();
            assertThat(client.getInputStream().read()).isEqualTo(42);
        }

        assertThat(peer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS)).isEqualTo("CN=" + VIN.value());
    }

    @Test
    void clientCertificateFromForeignCaIsRefused() throws Exception {
        CertificateAuthority foreign = CertificateAuthority.open(dir.resolve("foreign"), Clock.systemUTC());
        IssuedCredentials foreignCredentials = foreign.issueVehicle(VIN, Duration.ofDays(1));
        CompletableFuture<String> peer = acceptOne();

        try (SSLSocket client = connect(withTrustedServerCa(foreignCredentials, authority.caCertificatePem()))) {
            // With TLS 1.3 the client may finish its side before the server's alert arrives; the read surfaces it.
            assertThatThrownBy(() -> {
                        client.startHandshake();
                        client.getInputStream().read();
                    })
                    .isInstanceOf(IOException.class);
        }

        assertThatThrownBy(() -> peer.get(TIMEOUT_MS, TimeUnit.MILLISECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOf(SSLHandshakeException.class);
    }

    /** The vehicle's own key and certificate from the foreign CA, but trusting the real server's CA. */
    private static IssuedCredentials withTrustedServerCa(IssuedCredentials credentials, String serverCaPem) {
        return new IssuedCredentials(
                credentials.vin(),
                credentials.serial(),
                credentials.certificatePem(),
                credentials.privateKeyPem(),
                serverCaPem,
                credentials.notAfter());
    }

    /** Accepts one connection, completes the handshake, writes one byte and returns the client's subject. */
    private CompletableFuture<String> acceptOne() {
        CompletableFuture<String> peer = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (SSLSocket socket = (SSLSocket) server.accept()) {
                socket.setSoTimeout(TIMEOUT_MS);
                socket.startHandshake();
                X509Certificate client = (X509Certificate) socket.getSession().getPeerCertificates()[0];
                socket.getOutputStream().write(42);
                socket.getOutputStream().flush();
                peer.complete(client.getSubjectX500Principal().getName());
            } catch (IOException | RuntimeException e) {
                peer.completeExceptionally(e);
            }
        });
        return peer;
    }

    private SSLSocket connect(IssuedCredentials credentials) throws Exception {
        KeyStore keys = PemKeys.keyStore(
                credentials.certificatePem(), credentials.privateKeyPem(), credentials.caCertificatePem(), PASSWORD);
        SSLContext context = context(keys, PemKeys.trustStore(credentials.caCertificatePem()));
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", server.getLocalPort());
        socket.setSoTimeout(TIMEOUT_MS);
        var parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm(
                "HTTPS"); // the client checks the server's SAN, as MQTT clients do
        socket.setSSLParameters(parameters);
        return socket;
    }

    private static SSLContext context(KeyStore keys, KeyStore trust) throws Exception {
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, PASSWORD);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    private static KeyStore load(Path file) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(file)) {
            store.load(in, PASSWORD);
        }
        return store;
    }
}
