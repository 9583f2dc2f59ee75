package dev.idpgateway.redis;

import dev.idpgateway.testing.Blocking;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.NetSocket;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;


/**
 * A TLS endpoint in front of a plain Redis port, for tests: the redis-server the tests bring may be built
 * without TLS. Terminates TLS with the given certificate (optionally requiring a client certificate of a CA)
 * and pipes the bytes to {@code 127.0.0.1:<backendPort>}.
 */
public final class TlsProxy implements AutoCloseable {
    private final NetServer server;
    private final NetClient backend;
    private final int backendPort;

    private TlsProxy(Vertx vertx, NetServerOptions options, int backendPort) {
        this.backendPort = backendPort;
        this.backend = vertx.createNetClient();
        this.server = vertx.createNetServer(options).connectHandler(this::relay);
    }

    /**
     * Listens on a free port (or {@code port}, when not 0), presenting {@code certificate}; a non-null
     * {@code clientCaPem} requires client certificates that chain to it.
     */
    public static TlsProxy start(Vertx vertx, int port, TestPki.Issued certificate, String clientCaPem, int backendPort) {
        NetServerOptions options = new NetServerOptions().setHost("127.0.0.1").setPort(port).setSsl(true)
                .setKeyCertOptions(new PemKeyCertOptions()
                        .setCertValue(Buffer.buffer(certificate.certificatePem()))
                        .setKeyValue(Buffer.buffer(certificate.keyPem())));
        if (clientCaPem != null) {
            options.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(clientCaPem)));
        }
        TlsProxy proxy = new TlsProxy(vertx, options, backendPort);
        Blocking.await(proxy.server.listen());
        return proxy;
    }

    public int port() {
        return server.actualPort();
    }

    private void relay(NetSocket client) {
        client.pause();
        backend.connect(backendPort, "127.0.0.1").onComplete(redis -> {
            redis.pipeTo(client);
            client.pipeTo(redis);
            client.resume();
        }, failure -> client.close());
    }

    @Override
    public void close() {
        Blocking.await(Future.join(server.close(), backend.close()));
    }
}
