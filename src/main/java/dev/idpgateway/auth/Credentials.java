package dev.idpgateway.auth;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** An immutable snapshot of the credentials file: principals and their access keys. */
public final class Credentials implements CredentialSource {
    private final List<Principal> principals;
    private final Map<String, AccessKey> keysById;

    Credentials(List<Principal> principals, List<AccessKey> accessKeys) {
        this.principals = List.copyOf(principals);
        Map<String, AccessKey> byId = new LinkedHashMap<>();
        for (AccessKey key : accessKeys) {
            byId.put(key.id(), key);
        }
        this.keysById = Map.copyOf(byId);
    }

    /** The access key with this id, or {@code null} when the file has none. */
    public AccessKey find(String accessKeyId) {
        return keysById.get(accessKeyId);
    }

    public List<Principal> principals() {
        return principals;
    }

    public int accessKeyCount() {
        return keysById.size();
    }

    /** A fixed snapshot is its own source: handy for tests and for a gateway without reloads. */
    @Override
    public Credentials current() {
        return this;
    }

    @Override
    public String toString() {
        return "Credentials[principals=" + principals.size() + ", accessKeys=" + keysById.size() + "]";
    }
}
