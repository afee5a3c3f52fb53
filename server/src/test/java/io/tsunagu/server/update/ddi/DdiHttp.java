package io.tsunagu.server.update.ddi;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tsunagu.server.fleet.IssuedCredentials;
import io.tsunagu.server.fleet.PemKeys;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A DDI device's HTTP client for tests: the JDK HttpClient over HTTPS trusting the fleet CA (optionally presenting a
 * car's client certificate), or over plain HTTP; an optional {@code Authorization} header on every request.
 */
final class DdiHttp {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** An answer: status, raw bytes, and the body as JSON when it is JSON. */
    record Answer(int status, byte[] bytes, HttpResponse<byte[]> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        String text() {
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }

        Optional<String> header(String name) {
            return raw.headers().firstValue(name);
        }
    }

    private final HttpClient client;
    private final String origin;
    private final Optional<String> authorization;

    private DdiHttp(HttpClient client, String origin, Optional<String> authorization) {
        this.client = client;
        this.origin = origin;
        this.authorization = authorization;
    }

    static DdiHttp https(int port, String caPem, Optional<IssuedCredentials> clientCertificate, Optional<String> auth) {
        try {
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(PemKeys.trustStore(caPem));
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            char[] password = "test".toCharArray();
            KeyStore store = clientCertificate.isPresent()
                    ? PemKeys.keyStore(
                            clientCertificate.get().certificatePem(),
                            clientCertificate.get().privateKeyPem(),
                            clientCertificate.get().caCertificatePem(),
                            password)
                    : emptyKeyStore();
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
            HttpClient client = HttpClient.newBuilder()
                    .sslContext(context)
                    .connectTimeout(Duration.ofSeconds(10))
                    .build();
            return new DdiHttp(client, "https://localhost:" + port, auth);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static DdiHttp http(int port, Optional<String> auth) {
        return new DdiHttp(HttpClient.newHttpClient(), "http://127.0.0.1:" + port, auth);
    }

    String origin() {
        return origin;
    }

    Answer get(String path, String... headers) {
        return send(HttpRequest.newBuilder(uri(path)).GET(), headers);
    }

    Answer post(String path, String json) {
        return send(
                HttpRequest.newBuilder(uri(path)).POST(HttpRequest.BodyPublishers.ofString(json)),
                "Content-Type",
                "application/json");
    }

    Answer put(String path, String json) {
        return send(
                HttpRequest.newBuilder(uri(path)).PUT(HttpRequest.BodyPublishers.ofString(json)),
                "Content-Type",
                "application/json");
    }

    /** GET of an absolute href from a {@code _links} entry. */
    Answer follow(String href, String... headers) {
        return send(HttpRequest.newBuilder(URI.create(href)).GET(), headers);
    }

    private URI uri(String path) {
        return URI.create(path.startsWith("http") ? path : origin + path);
    }

    private Answer send(HttpRequest.Builder request, String... headers) {
        authorization.ifPresent(a -> request.header("Authorization", a));
        for (int i = 0; i < headers.length; i += 2) {
            request.header(headers[i], headers[i + 1]);
        }
        try {
            HttpResponse<byte[]> response = client.send(
                    request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static KeyStore emptyKeyStore() throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        return store;
    }
}
