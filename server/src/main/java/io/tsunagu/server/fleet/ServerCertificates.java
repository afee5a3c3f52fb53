package io.tsunagu.server.fleet;

import io.tsunagu.server.fleet.internal.SecureFiles;
import io.tsunagu.server.fleet.internal.X509Issuer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the server's TLS certificate in the CA directory: reuses it while it still fits, re-issues it when the names
 * change, it nears expiry, or a different CA issued it. Not thread-safe; {@link CertificateAuthority} serialises calls.
 */
final class ServerCertificates {
    private static final Logger LOG = LoggerFactory.getLogger(ServerCertificates.class);
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(30);
    private static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final Pattern DNS_NAME =
            Pattern.compile("(\\*\\.)?[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    /** GeneralName tags as {@link X509Certificate#getSubjectAlternativeNames()} reports them (RFC 5280 4.2.1.6). */
    private static final int SAN_DNS = 2;

    private static final int SAN_IP = 7;

    private final Path keyFile;
    private final Path certFile;
    private final Clock clock;
    private final X509Issuer issuer;
    private final X509Issuer.Authority authority;

    /** Normalised names: lower-case DNS names, IP literals in the JDK's canonical text form. */
    record Names(Set<String> dns, Set<String> ips) {}

    ServerCertificates(Path directory, Clock clock, X509Issuer issuer, X509Issuer.Authority authority) {
        this.keyFile = directory.resolve(CertificateAuthority.SERVER_KEY_FILE);
        this.certFile = directory.resolve(CertificateAuthority.SERVER_CERT_FILE);
        this.clock = clock;
        this.issuer = issuer;
        this.authority = authority;
    }

    ServerIdentity identity(List<String> dnsNames, List<String> ipAddresses) {
        Names names = dnsNames.isEmpty() && ipAddresses.isEmpty()
                ? normalise(List.of("localhost"), List.of("127.0.0.1"))
                : normalise(dnsNames, ipAddresses);
        try {
            Optional<ServerIdentity> existing = loadUsable(names);
            return existing.isPresent() ? existing.get() : issue(names);
        } catch (IOException | GeneralSecurityException e) {
            throw new FleetException(
                    FleetException.CA_UNAVAILABLE,
                    "cannot provide the server certificate: " + e.getMessage(),
                    false,
                    e);
        }
    }

    static Names normalise(List<String> dnsNames, List<String> ipAddresses) {
        Set<String> dns = new LinkedHashSet<>();
        for (String name : dnsNames) {
            String lower = name.strip().toLowerCase(Locale.ROOT);
            if (lower.length() > 253 || !DNS_NAME.matcher(lower).matches()) {
                throw invalid("'" + name + "' is not a valid DNS name for the server certificate");
            }
            dns.add(lower);
        }
        Set<String> ips = new LinkedHashSet<>();
        for (String ip : ipAddresses) {
            ips.add(canonicalIp(ip.strip()));
        }
        return new Names(dns, ips);
    }

    private static String canonicalIp(String literal) {
        if (!IPAddress.isValid(literal)) {
            throw invalid("'" + literal + "' is not an IPv4 or IPv6 literal");
        }
        try {
            // A validated literal: getByName parses it without a DNS lookup.
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw invalid("'" + literal + "' is not an IPv4 or IPv6 literal");
        }
    }

    private Optional<ServerIdentity> loadUsable(Names names) throws IOException, GeneralSecurityException {
        if (!Files.exists(keyFile) || !Files.exists(certFile)) {
            return Optional.empty();
        }
        X509Certificate certificate;
        PrivateKey key;
        try {
            certificate = PemKeys.certificate(Files.readString(certFile, StandardCharsets.US_ASCII));
            key = PemKeys.privateKey(Files.readString(keyFile, StandardCharsets.US_ASCII));
        } catch (FleetException e) {
            LOG.warn(
                    "Server certificate files in {} are unreadable ({}); issuing new ones",
                    certFile.getParent(),
                    e.getMessage());
            return Optional.empty();
        }
        Optional<String> problem = problem(certificate, key, names);
        if (problem.isPresent()) {
            LOG.info("Re-issuing the server certificate: {}", problem.get());
            return Optional.empty();
        }
        return Optional.of(new ServerIdentity(certificate, key, authority.certificate()));
    }

    private Optional<String> problem(X509Certificate certificate, PrivateKey key, Names names)
            throws GeneralSecurityException {
        try {
            certificate.verify(authority.certificate().getPublicKey());
        } catch (GeneralSecurityException e) {
            return Optional.of("it was not issued by the current CA");
        }
        if (!CertificateAuthority.matches(key, certificate)) {
            return Optional.of("its key file does not match it");
        }
        if (!clock.instant()
                .plus(RENEW_BEFORE)
                .isBefore(certificate.getNotAfter().toInstant())) {
            return Optional.of("it expires at " + certificate.getNotAfter().toInstant());
        }
        Names current = names(certificate);
        if (!current.dns().equals(names.dns()) || !current.ips().equals(names.ips())) {
            return Optional.of("its names " + current + " differ from the requested " + names);
        }
        return Optional.empty();
    }

    private static Names names(X509Certificate certificate) throws CertificateParsingException {
        Set<String> dns = new LinkedHashSet<>();
        Set<String> ips = new LinkedHashSet<>();
        Collection<List<?>> sans = certificate.getSubjectAlternativeNames();
        for (List<?> san : sans == null ? List.<List<?>>of() : sans) {
            int type = (Integer) san.get(0);
            if (type == SAN_DNS) {
                dns.add(((String) san.get(1)).toLowerCase(Locale.ROOT));
            } else if (type == SAN_IP) {
                ips.add(canonicalIp((String) san.get(1)));
            }
        }
        return new Names(dns, ips);
    }

    private ServerIdentity issue(Names names) throws IOException, GeneralSecurityException {
        KeyPair keys = issuer.newKeyPair();
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant caNotAfter = authority.certificate().getNotAfter().toInstant();
        Instant notAfter = now.plus(VALIDITY).isAfter(caNotAfter) ? caNotAfter : now.plus(VALIDITY);
        String commonName = names.dns().stream().findFirst().orElse("Tsunagu Server");
        X509Certificate certificate = issuer.serverCertificate(
                authority,
                keys.getPublic(),
                commonName,
                List.copyOf(names.dns()),
                List.copyOf(names.ips()),
                new X509Issuer.Validity(issuer.newSerial(), now.minus(CLOCK_SKEW), notAfter));
        SecureFiles.writeSecret(keyFile, PemKeys.toPem(keys.getPrivate()).getBytes(StandardCharsets.US_ASCII));
        SecureFiles.writePublic(certFile, PemKeys.toPem(certificate).getBytes(StandardCharsets.US_ASCII));
        LOG.info("Issued server certificate for {} {}, valid until {}", names.dns(), names.ips(), notAfter);
        return new ServerIdentity(certificate, keys.getPrivate(), authority.certificate());
    }

    private static FleetException invalid(String message) {
        return new FleetException(FleetException.INVALID_CERTIFICATE_REQUEST, message);
    }
}
