package dev.idpgateway.reliability;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One request of the hostile-input corpus ({@code src/test/resources/hostile/}, format in its
 * README): either an HTTP request described by method, path, headers and body, or raw bytes sent
 * as they are. {@code expected} lists the acceptable outcomes: AWS error names or {@code closed}.
 */
record HostileCase(String name, Set<String> expected, String method, String path, List<Header> headers,
                   byte[] body, List<String> chunks, byte[] raw, RawHttp.Pacing pacing) {
    static final String CLOSED = "closed";
    /**
     * Vert.x answers a request of an HTTP version it does not speak (HTTP/9.9, the HTTP/2 preface
     * on this HTTP/1.1 port) itself, with an empty 501, and closes: no handler of ours is asked.
     */
    static final String BARE_501 = "bare 501";
    static final String TARGET = "AWSCognitoIdentityProviderService.AdminDisableUser";
    static final String JSON_11 = "application/x-amz-json-1.1";
    /** {@code ⟦N*TEXT⟧} stands for TEXT repeated N times: huge inputs stay small in the corpus files. */
    private static final Pattern REPEAT = Pattern.compile("\u27e6(\\d+)\\*(.*?)\u27e7", Pattern.DOTALL);
    private static final List<Header> PROTOCOL_HEADERS =
            List.of(new Header("X-Amz-Target", TARGET), new Header("Content-Type", JSON_11));

    record Header(String name, String value) {
    }

    static List<HostileCase> load(String resource) {
        try (InputStream in = HostileCase.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing corpus " + resource);
            }
            JsonArray cases = new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getJsonArray("cases");
            List<HostileCase> parsed = new ArrayList<>(cases.size());
            for (int i = 0; i < cases.size(); i++) {
                parsed.add(parse(cases.getJsonObject(i)));
            }
            return parsed;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static HostileCase parse(JsonObject json) {
        Object expect = json.getValue("expect");
        Set<String> expected = expect instanceof JsonArray list
                ? Set.copyOf(list.stream().map(String::valueOf).toList()) : Set.of((String) expect);
        List<Header> headers = new ArrayList<>(json.containsKey("headers") ? headers(json.getJsonArray("headers")) : PROTOCOL_HEADERS);
        headers.addAll(headers(json.getJsonArray("extraHeaders", new JsonArray())));
        for (int i = 0; i < json.getInteger("repeatHeader", 0); i++) {
            headers.add(new Header("X-Repeat-" + i, "v"));
        }
        JsonArray chunks = json.getJsonArray("chunks");
        RawHttp.Pacing pacing = new RawHttp.Pacing(json.getInteger("stallAfterBytes", -1),
                Duration.ofMillis(json.getLong("trickleMillis", 0L)));
        return new HostileCase(json.getString("name"), expected, expand(json.getString("method", "POST")),
                expand(json.getString("path", "/")), headers, bytes(json, "body"),
                chunks == null ? null : chunks.stream().map(chunk -> expand((String) chunk)).toList(),
                json.containsKey("raw") || json.containsKey("rawBase64") ? bytes(json, "raw") : null, pacing);
    }

    private static List<Header> headers(JsonArray pairs) {
        List<Header> headers = new ArrayList<>(pairs.size());
        for (int i = 0; i < pairs.size(); i++) {
            JsonArray pair = pairs.getJsonArray(i);
            headers.add(new Header(expand(pair.getString(0)), expand(pair.getString(1))));
        }
        return headers;
    }

    /** {@code <field>} as UTF-8 text (expanded) or {@code <field>Base64} as any bytes; empty when absent. */
    private static byte[] bytes(JsonObject json, String field) {
        String base64 = json.getString(field + "Base64");
        if (base64 != null) {
            return Base64.getDecoder().decode(base64);
        }
        return expand(json.getString(field, "")).getBytes(StandardCharsets.UTF_8);
    }

    static String expand(String text) {
        Matcher matcher = REPEAT.matcher(text);
        StringBuilder expanded = new StringBuilder();
        while (matcher.find()) {
            matcher.appendReplacement(expanded, Matcher.quoteReplacement(matcher.group(2).repeat(Integer.parseInt(matcher.group(1)))));
        }
        return matcher.appendTail(expanded).toString();
    }

    boolean isRaw() {
        return raw != null;
    }

    /** The body as the server sees it once any chunked framing is removed: what a signature covers. */
    byte[] content() {
        return chunks == null ? body : String.join("", chunks).getBytes(StandardCharsets.UTF_8);
    }

    /** The bytes on the wire: the raw bytes, or the request line, {@code headers} and the framed body. */
    byte[] wire(List<Header> sentHeaders) {
        if (raw != null) {
            return raw;
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        if (sentHeaders.stream().noneMatch(header -> header.name().equalsIgnoreCase("Host"))) {
            head.append("Host: 127.0.0.1\r\n");
        }
        sentHeaders.forEach(header -> head.append(header.name()).append(": ").append(header.value()).append("\r\n"));
        head.append(chunks == null ? "Content-Length: " + body.length : "Transfer-Encoding: chunked").append("\r\n\r\n");
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        if (chunks == null) {
            out.writeBytes(body);
        } else {
            for (String chunk : chunks) {
                byte[] data = chunk.getBytes(StandardCharsets.UTF_8);
                out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.writeBytes(data);
                out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
            }
            out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return name;
    }
}
