package dev.idpgateway.http;

import dev.idpgateway.config.ConfigException;
import dev.idpgateway.config.GatewayConfig;
import dev.idpgateway.config.ReloadingFiles;
import dev.idpgateway.observability.ApiTlsMetrics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SSLEngineOptions;
import io.vertx.core.net.ServerSSLOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.X509KeyManager;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * HTTPS for the API port: the certificate and key files (and the client CA, for mutual TLS) made into
 * the servers' TLS options, and re-read while the gateway runs ({@link ReloadingFiles}). A change reaches
 * new connections; open ones keep the certificate they were served. Files that do not make a usable pair
 * (unparsable PEM, a key that does not belong to the certificate) keep the certificate in force.
 *
 * <p>All API verticles share one listening socket, and Vert.x keeps its TLS context with that socket:
 * updating one of the servers updates what every new connection gets.
 */
final class ApiTls implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiTls.class);
    private static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    /** One usable set of files: the TLS options made from them and the certificate they serve. */
    private record Material(ServerSSLOptions options, X509Certificate certificate) {
    }

    private final Vertx vertx;
    private final GatewayConfig.Tls config;
    private final ApiTlsMetrics metrics;
    /** Set once, when the files were first read: before that no reload can happen. */
    private ReloadingFiles<Material> files;
    private volatile HttpServer server;

    private ApiTls(Vertx vertx, GatewayConfig.Tls config, ApiTlsMetrics metrics) {
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
    }

    /**
     * Reads the files once and then checks them every {@code http.tls.reloadInterval}.
     *
     * @return fails with a {@link ConfigException} naming the file when it cannot be used at start-up
     */
    static Future<ApiTls> start(Vertx vertx, GatewayConfig.Tls config, ApiTlsMetrics metrics) {
        List<Path> paths = new ArrayList<>(List.of(config.certificate(), config.key()));
        if (config.clientCa() != null) {
            paths.add(config.clientCa());
        }
        ApiTls tls = new ApiTls(vertx, config, metrics);
        return ReloadingFiles.start(vertx, paths, config.reloadInterval(), tls.new Reloads()).map(files -> {
            tls.files = files;
            metrics.watchExpiry(files, current -> current.current().certificate());
            X509Certificate served = files.current().certificate();
            LOG.info("API served over HTTPS (TLS 1.2, 1.3; h2 and http/1.1; {} engine) with {}, expires {}{}",
                    engineName(), served.getSubjectX500Principal().getName(), served.getNotAfter().toInstant(),
                    config.clientCa() == null ? "" : "; client certificates signed by " + config.clientCa() + " required");
            return tls;
        });
    }

    /** What a change of the files does. */
    private final class Reloads implements ReloadingFiles.Handler<Material> {
        @Override
        public Material parse(List<byte[]> contents) {
            return material(vertx, config, contents);
        }

        @Override
        public Future<?> apply(Material reloaded) {
            return serve(reloaded).onSuccess(applied -> LOG.info("API certificate reloaded from {}: {}, expires {}",
                    config.certificate(), reloaded.certificate().getSubjectX500Principal().getName(),
                    reloaded.certificate().getNotAfter().toInstant()));
        }

        @Override
        public void unusable(String problem) {
            metrics.reloadFailed();
            LOG.error("API certificate files unusable, keeping the certificate in force: {}", problem);
        }
    }

    /** Makes {@code options} serve HTTPS with the certificate in force. */
    HttpServerOptions configure(HttpServerOptions options) {
        ServerSSLOptions ssl = files.current().options();
        return options.setSsl(true)
                .setSslEngineOptions(engine())
                .setUseAlpn(ssl.isUseAlpn())
                .setEnabledSecureTransportProtocols(ssl.getEnabledSecureTransportProtocols())
                .setKeyCertOptions(ssl.getKeyCertOptions())
                .setTrustOptions(ssl.getTrustOptions())
                .setClientAuth(ssl.getClientAuth());
    }

    /**
     * OpenSSL (BoringSSL through netty-tcnative) where its native library is on the classpath: the container
     * image ships it for Linux. It costs less CPU per keep-alive request than the JDK engine, and has far less Java
     * code to warm up. Elsewhere (the fat jar, macOS) the JDK's engine, with the same protocols and ciphers.
     */
    private static SSLEngineOptions engine() {
        return OpenSSLEngineOptions.isAvailable() ? new OpenSSLEngineOptions() : new JdkSSLEngineOptions();
    }

    private static String engineName() {
        return OpenSSLEngineOptions.isAvailable() ? "OpenSSL (BoringSSL)" : "JDK";
    }

    /** A listening API server: reloads are applied through it (any one of them updates the shared socket). */
    void listening(HttpServer server) {
        this.server = server;
    }

    private Future<Boolean> serve(Material material) {
        HttpServer current = server;
        if (current == null) {
            // Not listening yet: the servers take the new options when they start.
            return Future.succeededFuture(false);
        }
        try {
            return current.updateSSLOptions(material.options());
        } catch (IllegalStateException stopped) {
            return Future.failedFuture(stopped);
        }
    }

    /** Stops watching the files. */
    @Override
    public void close() {
        files.close();
    }

    /** Blocking: the TLS options from the files' content (certificate, key, client CA), checked to make a usable pair. */
    private static Material material(Vertx vertx, GatewayConfig.Tls config, List<byte[]> contents) {
        List<X509Certificate> chain = certificates(contents.get(0), "http.tls.certificate", config.certificate());
        PemKeyCertOptions keyCert = new PemKeyCertOptions()
                .setCertValue(Buffer.buffer(contents.get(0)))
                .setKeyValue(Buffer.buffer(contents.get(1)));
        requireKeyOfCertificate(vertx, keyCert, chain.get(0), config);
        ServerSSLOptions options = new ServerSSLOptions()
                .setUseAlpn(true)
                .setEnabledSecureTransportProtocols(PROTOCOLS)
                .setKeyCertOptions(keyCert);
        if (config.clientCa() != null) {
            certificates(contents.get(2), "http.tls.clientCa", config.clientCa());
            options.setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(contents.get(2))))
                    .setClientAuth(ClientAuth.REQUIRED);
        }
        return new Material(options, chain.get(0));
    }

    private static List<X509Certificate> certificates(byte[] pem, String key, Path file) {
        try {
            List<X509Certificate> certificates = new ArrayList<>();
            CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem))
                    .forEach(certificate -> certificates.add((X509Certificate) certificate));
            if (certificates.isEmpty()) {
                throw new ConfigException(key + ": " + file + " holds no PEM certificate");
            }
            return certificates;
        } catch (CertificateException e) {
            throw new ConfigException(key + ": " + file + " is not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    /**
     * A key that does not belong to the certificate would load, and every handshake would fail: sign with
     * the key and verify with the certificate before serving it.
     */
    private static void requireKeyOfCertificate(Vertx vertx, PemKeyCertOptions keyCert, X509Certificate certificate,
                                                GatewayConfig.Tls config) {
        PrivateKey key;
        try {
            KeyStore store = keyCert.loadKeyStore(vertx);
            X509KeyManager keys = (X509KeyManager) keyCert.getKeyManagerFactory(vertx).getKeyManagers()[0];
            key = keys.getPrivateKey(Collections.list(store.aliases()).get(0));
        } catch (Exception e) {
            throw new ConfigException("http.tls.key: " + config.key() + " is not a PEM private key (" + e.getMessage() + ")");
        }
        try {
            Signature signer = Signature.getInstance(signatureAlgorithm(key));
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(signatureAlgorithm(key));
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(challenge);
            if (verifier.verify(signature)) {
                return;
            }
        } catch (GeneralSecurityException e) {
            // A key of another type than the certificate's: not a pair either.
        }
        throw new ConfigException("http.tls.key: " + config.key() + " is not the key of the certificate in "
                + config.certificate());
    }

    private static String signatureAlgorithm(PrivateKey key) throws GeneralSecurityException {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("unsupported key algorithm " + key.getAlgorithm());
        };
    }
}
