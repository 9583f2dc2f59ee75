package dev.idpgateway.store;

/** Who asked for a change, for the audit trail: the operation, the request id and the caller's name. */
public record AuditContext(String operation, String requestId, String caller) {
}
