package dev.idpgateway.bench;

import dev.idpgateway.auth.SdkSigning;
import software.amazon.awssdk.http.SdkHttpRequest;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;

/**
 * Writes AdminDisableUser requests signed by the AWS SDK's SigV4 signer, one per line, for the
 * benchmark's wrk script ({@code src/bench/presigned.lua}): the body, then each signed header as
 * {@code name: value}, tab-separated (Host is left out: wrk sends the same one). Signing costs far
 * more CPU than verifying, so the requests are signed before the run and not by the load generator;
 * they stay valid for the 5 minutes the gateway allows for clock skew.
 *
 * <p>{@code PreSign <endpoint> <accessKeyId> <secret> <poolId> <usernameFormat> <first> <count> <out> [corrupt]}:
 * usernames {@code String.format(usernameFormat, first .. first+count-1)}; {@code corrupt} changes one
 * hex digit of each signature, so that every request fails verification.
 */
public final class PreSign {
    private static final String REGION = "us-east-1";
    private static final String SERVICE = "cognito-idp";

    private PreSign() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length < 8) {
            throw new IllegalArgumentException(
                    "usage: PreSign <endpoint> <accessKeyId> <secret> <poolId> <usernameFormat> <first> <count> <out> [corrupt]");
        }
        URI endpoint = URI.create(args[0]);
        int first = Integer.parseInt(args[5]);
        int count = Integer.parseInt(args[6]);
        boolean corrupt = args.length > 8 && "corrupt".equals(args[8]);
        Instant now = Instant.now();
        try (BufferedWriter out = Files.newBufferedWriter(Path.of(args[7]), StandardCharsets.UTF_8)) {
            for (int i = first; i < first + count; i++) {
                String body = "{\"UserPoolId\":\"" + args[3] + "\",\"Username\":\""
                        + String.format(Locale.ROOT, args[4], i) + "\"}";
                SdkHttpRequest signed = SdkSigning.signHttp(endpoint, "AdminDisableUser", args[1], args[2], now,
                        REGION, SERVICE, body);
                out.write(line(body, signed, corrupt));
                out.newLine();
            }
        }
    }

    private static String line(String body, SdkHttpRequest signed, boolean corrupt) {
        StringBuilder line = new StringBuilder(body);
        for (Map.Entry<String, java.util.List<String>> header : signed.headers().entrySet()) {
            if (header.getKey().equalsIgnoreCase("Host")) {
                continue;
            }
            String value = String.join(",", header.getValue());
            if (corrupt && header.getKey().equalsIgnoreCase("Authorization")) {
                value = flipLastDigit(value);
            }
            line.append('\t').append(header.getKey()).append(": ").append(value);
        }
        return line.toString();
    }

    private static String flipLastDigit(String authorization) {
        char last = authorization.charAt(authorization.length() - 1);
        return authorization.substring(0, authorization.length() - 1) + (last == '0' ? '1' : '0');
    }
}
