package dev.idpgateway.http;

import io.netty.handler.codec.DecoderException;
import io.vertx.core.Handler;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpVersion;

/**
 * Reads an API request's body into one buffer of at most {@code limit} bytes. A declared
 * Content-Length beyond the limit is refused before any of the body is read (and before a
 * 100-continue invites it); a body that grows beyond the limit as it arrives (chunked, or HTTP/2
 * data frames) is refused as soon as it does, and the rest of it is discarded as it comes. Each request ends in exactly one call of the {@link Receiver}.
 */
final class BodyReader {
    /**
     * The most a buffer reserves up front from a declared length: a client that declares a large body
     * and sends none of it must not make the gateway reserve the whole limit per connection.
     */
    private static final int MAX_RESERVED_BYTES = 64 * 1024;
    /** Where a body from a client that declared no length starts. */
    private static final int UNDECLARED_RESERVED_BYTES = 1024;
    private static final String CONTINUE = "100-continue";

    /** What becomes of a request once its body is read, or cannot be. */
    interface Receiver {
        /** The whole body arrived (empty for a request without one). */
        void received(HttpServerRequest request, Buffer body);

        /** The body is, or was declared, larger than the limit. */
        void tooLarge(HttpServerRequest request);

        /** The body cannot be read as HTTP: broken framing, or an expectation other than 100-continue. */
        void malformed(HttpServerRequest request);

        /** Reading stopped for another reason, such as the connection closing before the body ended. */
        void broken(HttpServerRequest request, Throwable failure);
    }

    private final int limit;
    private final Receiver receiver;

    BodyReader(int limit, Receiver receiver) {
        this.limit = limit;
        this.receiver = receiver;
    }

    void read(HttpServerRequest request) {
        long declared = declaredLength(request);
        if (declared > limit) {
            receiver.tooLarge(request);
            return;
        }
        String expectation = request.getHeader(HttpHeaders.EXPECT);
        if (expectation != null) {
            if (!CONTINUE.equalsIgnoreCase(expectation)) {
                receiver.malformed(request);
                return;
            }
            // HTTP/1.0 has no interim answers: the client sends its body anyway.
            if (request.version() != HttpVersion.HTTP_1_0) {
                request.response().writeContinue();
            }
        }
        Collector collector = new Collector(request, declared < 0 ? UNDECLARED_RESERVED_BYTES
                : (int) Math.min(declared, MAX_RESERVED_BYTES));
        request.handler(collector).endHandler(collector::end).exceptionHandler(collector::failed);
    }

    /** The Content-Length header's value; -1 when there is none (chunked, HTTP/2) or it is no length. */
    private static long declaredLength(HttpServerRequest request) {
        String header = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        if (header == null || header.isEmpty()) {
            return -1;
        }
        try {
            return Math.max(-1, Long.parseLong(header));
        } catch (NumberFormatException notALength) {
            return -1;
        }
    }

    /** One request's body as it arrives. */
    private final class Collector implements Handler<Buffer> {
        private final HttpServerRequest request;
        private final Buffer body;
        /** The receiver has had its one call: what still arrives is dropped. */
        private boolean reported;

        Collector(HttpServerRequest request, int reserved) {
            this.request = request;
            this.body = Buffer.buffer(reserved);
        }

        @Override
        public void handle(Buffer data) {
            if (reported) {
                return;
            }
            if ((long) body.length() + data.length() > limit) {
                reported = true;
                receiver.tooLarge(request);
                return;
            }
            body.appendBuffer(data);
        }

        void end(Void ended) {
            if (!reported) {
                reported = true;
                receiver.received(request, body);
            }
        }

        void failed(Throwable failure) {
            if (reported) {
                return;
            }
            reported = true;
            if (failure instanceof DecoderException) {
                receiver.malformed(request);
            } else {
                receiver.broken(request, failure);
            }
        }
    }
}
