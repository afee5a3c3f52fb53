package io.tsunagu.server.testing;

import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.PemKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Real HTTPS calls to the test server's REST API with the JDK HttpClient, trusting only the fleet CA and checking the
 * server certificate's name (127.0.0.1 is in its SANs); optionally presenting a car's client certificate.
 */
public final class HttpsCalls {
    private static final char[] PASSWORD = "test-only".toCharArray();

    private final SSLContext context;
    private final HttpClient http;
    private final int port;
    private final String token;
    private final String scheme;

    private HttpsCalls(SSLContext context, int port, String token, String scheme) {
        this.context = context;
        this.http = HttpClient.newBuilder().sslContext(context).build();
        this.port = port;
        this.token = token;
        this.scheme = scheme;
    }

    /** The same calls over plain HTTP, to compare with HTTPS. */
    public static HttpsCalls plain(TestServer server, String token) {
        HttpsCalls tls = of(server, token);
        return new HttpsCalls(tls.context, server.httpPort(), token, "http");
    }

    /** A client with a bearer token, no client certificate. */
    public static HttpsCalls of(TestServer server, String token) {
        return of(server, token, Optional.empty());
    }

    /** A client with a bearer token and, if given, a car's client certificate. */
    public static HttpsCalls of(TestServer server, String token, Optional<IssuedCredentials> clientCertificate) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(PemKeys.trustStore(server.server().authority().caCertificatePem()));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            KeyStore keyStore = clientCertificate
                    .map(c -> PemKeys.keyStore(c.certificatePem(), c.privateKeyPem(), c.caCertificatePem(), PASSWORD))
                    .orElse(null);
            keys.init(keyStore, PASSWORD);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            return new HttpsCalls(context, server.httpsPort(), token, "https");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the test TLS context", e);
        }
    }

    public URI uri(String path) {
        return URI.create(scheme + "://127.0.0.1:" + port + path);
    }

    /** A request builder for {@code path} with this client's bearer token. */
    public HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri(path));
        return token.isEmpty() ? builder : builder.header("Authorization", "Bearer " + token);
    }

    public <T> HttpResponse<T> send(HttpRequest.Builder request, HttpResponse.BodyHandler<T> body) {
        try {
            return http.send(request.build(), body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A raw TLS socket to the HTTPS port, server name checked, for tests that cut a connection themselves. Its receive
     * buffer is fixed at 64 KiB: loopback autotuning here grows it to 32 MiB, which would swallow a whole test
     * download before the cut and leave the server nothing to notice.
     */
    public SSLSocket socket() throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket();
        socket.setReceiveBufferSize(64 * 1024);
        socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        SSLParameters parameters = socket.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        socket.setSSLParameters(parameters);
        socket.setSoTimeout(30_000);
        return socket;
    }

    public String token() {
        return token;
    }
}
