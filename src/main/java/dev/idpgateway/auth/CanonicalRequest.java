package dev.idpgateway.auth;

import io.vertx.core.MultiMap;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The SigV4 canonical request as the AWS SDKs build it for services other than S3: path normalized
 * and encoded once more, query parameters decoded, re-encoded and sorted, signed headers in the
 * order of the SignedHeaders list with their values trimmed and inner whitespace collapsed.
 */
final class CanonicalRequest {

    private CanonicalRequest() {
    }

    static String build(SignedRequest request, AuthorizationHeader authorization, String payloadSha256Hex) {
        StringBuilder out = new StringBuilder(512);
        out.append(request.method()).append('\n');
        appendUri(request.path(), out);
        out.append('\n');
        appendQuery(request.rawQuery(), out);
        out.append('\n');
        for (String name : authorization.signedHeaders()) {
            appendHeader(name, request.headers(), out);
        }
        out.append('\n').append(authorization.signedHeaderList()).append('\n').append(payloadSha256Hex);
        return out.toString();
    }

    static void appendUri(String rawPath, StringBuilder out) {
        if (rawPath == null || rawPath.isEmpty() || rawPath.equals("/")) {
            out.append('/');
            return;
        }
        // RFC 3986 dot-segment removal; empty segments ("//") are dropped as well, as the SDKs do.
        Deque<String> segments = new ArrayDeque<>();
        String[] parts = rawPath.split("/", -1);
        for (String part : parts) {
            if (part.equals("..")) {
                segments.pollLast();
            } else if (!part.isEmpty() && !part.equals(".")) {
                segments.addLast(part);
            }
        }
        String last = parts[parts.length - 1];
        boolean trailingSlash = last.isEmpty() || last.equals(".") || last.equals("..");
        for (String segment : segments) {
            out.append('/');
            UriEncoding.encode(segment, 0, segment.length(), out);
        }
        if (segments.isEmpty() || trailingSlash) {
            out.append('/');
        }
    }

    static void appendQuery(String rawQuery, StringBuilder out) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return;
        }
        List<String[]> parameters = new ArrayList<>();
        for (String parameter : rawQuery.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = equals < 0 ? parameter : parameter.substring(0, equals);
            String value = equals < 0 ? "" : parameter.substring(equals + 1);
            parameters.add(new String[] {
                    UriEncoding.encode(UriEncoding.decode(name)), UriEncoding.encode(UriEncoding.decode(value))});
        }
        parameters.sort((a, b) -> {
            int byName = a[0].compareTo(b[0]);
            return byName != 0 ? byName : a[1].compareTo(b[1]);
        });
        for (int i = 0; i < parameters.size(); i++) {
            if (i > 0) {
                out.append('&');
            }
            out.append(parameters.get(i)[0]).append('=').append(parameters.get(i)[1]);
        }
    }

    /** {@code name:value1,value2\n}: repeated headers joined with commas in the order they came. */
    static void appendHeader(String name, MultiMap headers, StringBuilder out) {
        out.append(name).append(':');
        List<String> values = headers.getAll(name);
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            appendTrimmedCollapsed(values.get(i), out);
        }
        out.append('\n');
    }

    private static void appendTrimmedCollapsed(String value, StringBuilder out) {
        int start = 0;
        int end = value.length();
        while (start < end && isBlank(value.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(value.charAt(end - 1))) {
            end--;
        }
        boolean previousBlank = false;
        for (int i = start; i < end; i++) {
            char c = value.charAt(i);
            if (isBlank(c)) {
                if (!previousBlank) {
                    out.append(' ');
                }
                previousBlank = true;
            } else {
                out.append(c);
                previousBlank = false;
            }
        }
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t';
    }
}
