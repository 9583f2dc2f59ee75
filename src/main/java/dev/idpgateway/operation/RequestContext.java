package dev.idpgateway.operation;

import dev.idpgateway.auth.Caller;

/** What an operation knows of the request beyond its input: its id and its verified caller. */
public record RequestContext(String requestId, Caller caller) {
}
