package dev.idpgateway.config;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** The user and password a {@code redis://user:password@host} URL carries, either of them null. */
record UserInfo(String user, Secret password) {
    private static final UserInfo NONE = new UserInfo(null, null);

    /** The first URL's user info that has any: seed URLs of one deployment name the same user. */
    static UserInfo of(List<String> urls) {
        return urls.stream().map(UserInfo::of).filter(UserInfo::any).findFirst().orElse(NONE);
    }

    /** Not {@code equals(NONE)}: a record's first equals spins up its method handles, 15-40 ms of start-up. */
    private boolean any() {
        return user != null || password != null;
    }

    private static UserInfo of(String url) {
        String raw = rawUserInfo(url);
        if (raw == null) {
            return NONE;
        }
        int colon = raw.indexOf(':');
        String user = decode(colon < 0 ? raw : raw.substring(0, colon));
        String password = colon < 0 ? "" : decode(raw.substring(colon + 1));
        return new UserInfo(user.isEmpty() ? null : user, password.isEmpty() ? null : new Secret(password));
    }

    /** The URL without its user info. */
    static String strip(String url) {
        String raw = rawUserInfo(url);
        if (raw == null) {
            return url;
        }
        int authority = url.indexOf("://") + 3;
        return url.substring(0, authority) + url.substring(authority + raw.length() + 1);
    }

    private static String rawUserInfo(String url) {
        try {
            return new URI(url).getRawUserInfo();
        } catch (Exception e) {
            // Not echoed: the text may hold a password.
            throw new ConfigException("redis.url: not a valid URL (user info must be URL-encoded)");
        }
    }

    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
