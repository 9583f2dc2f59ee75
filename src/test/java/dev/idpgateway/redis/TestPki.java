package dev.idpgateway.redis;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Certificates made at run time for the TLS tests (no private key is ever committed): a CA that issues
 * server and client certificates, written as PEM files into a directory. EC P-256 keys: quick to make.
 */
public final class TestPki {
    private static final AtomicLong SERIALS = new AtomicLong(System.currentTimeMillis());

    private final Path dir;
    private final String caName;
    private final KeyPair caKeys;
    private final X509Certificate caCertificate;

    /** A new CA named {@code name}; its files go into {@code dir}. */
    public TestPki(Path dir, String name) {
        this.dir = dir;
        this.caName = name;
        this.caKeys = newKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        this.caCertificate = sign(new JcaX509v3CertificateBuilder(subject, serial(), notBefore(), notAfter(), subject,
                caKeys.getPublic()), extensions -> {
            extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            extensions.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        });
    }

    /** The CA certificate as a PEM file. */
    public Path caFile() {
        return write(caName + "-ca.crt", pem("CERTIFICATE", encoded(caCertificate)));
    }

    /** A server certificate for these DNS names and IP addresses. */
    public Issued server(String name, String... hosts) {
        return issue(name, KeyPurposeId.id_kp_serverAuth, hosts);
    }

    /** A client certificate, for mutual TLS. */
    public Issued client(String name) {
        return issue(name, KeyPurposeId.id_kp_clientAuth);
    }

    /** A certificate and its key, as PEM text and as files. */
    public record Issued(String certificatePem, String keyPem, Path certificate, Path key) {
    }

    private Issued issue(String name, KeyPurposeId purpose, String... hosts) {
        KeyPair keys = newKeyPair();
        X509Certificate certificate = sign(new JcaX509v3CertificateBuilder(new X500Name("CN=" + caName), serial(),
                notBefore(), notAfter(), new X500Name("CN=" + name), keys.getPublic()), extensions -> {
            extensions.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            extensions.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
            if (hosts.length > 0) {
                GeneralName[] names = new GeneralName[hosts.length];
                for (int i = 0; i < hosts.length; i++) {
                    boolean ip = hosts[i].matches("[0-9.]+|.*:.*");
                    names[i] = new GeneralName(ip ? GeneralName.iPAddress : GeneralName.dNSName, hosts[i]);
                }
                extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
            }
        });
        // The CA's certificate follows the leaf, as servers usually send their chain.
        String chain = pem("CERTIFICATE", encoded(certificate)) + pem("CERTIFICATE", encoded(caCertificate));
        String key = pem("PRIVATE KEY", keys.getPrivate().getEncoded());
        return new Issued(chain, key, write(name + ".crt", chain), write(name + ".key", key));
    }

    private interface ExtensionWriter {
        void add(X509v3CertificateBuilder builder) throws IOException;
    }

    private X509Certificate sign(X509v3CertificateBuilder builder, ExtensionWriter extensions) {
        try {
            extensions.add(builder);
            return new JcaX509CertificateConverter().getCertificate(
                    builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException("cannot make a test certificate", e);
        }
    }

    private Path write(String name, String content) {
        try {
            return Files.writeString(dir.resolve(name), content, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static KeyPair newKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] encoded(X509Certificate certificate) {
        try {
            return certificate.getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIALS.incrementAndGet());
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }
}
