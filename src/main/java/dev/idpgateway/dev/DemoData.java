package dev.idpgateway.dev;

import io.vertx.core.Future;
import java.util.List;

/**
 * What dev mode seeds: a case-insensitive pool with email and preferred_username aliases and a
 * case-sensitive one, each with a few users holding tokens, some with standard and custom attributes. The record tells dev mode what was
 * written, e.g. to print an AWS CLI command that disables {@link #demoUsername()}.
 */
public record DemoData(PoolRecord pool, List<UserRecord> users,
                       PoolRecord caseSensitivePool, List<UserRecord> caseSensitiveUsers) {

    public static final String POOL_ID = "us-east-1_DemoPool1";
    public static final String CASE_SENSITIVE_POOL_ID = "us-east-1_DemoPool2";

    public DemoData {
        users = List.copyOf(users);
        caseSensitiveUsers = List.copyOf(caseSensitiveUsers);
    }

    /** The demo content, with fresh subs and token ids. */
    public static DemoData create() {
        return new DemoData(
                PoolRecord.of(POOL_ID).withCaseSensitive(false).withAliasAttributes("email", "preferred_username"),
                List.of(
                        UserRecord.builder("alice").email("alice@example.com").preferredUsername("Alice.Liddell")
                                .attribute("given_name", "Alice").attribute("family_name", "Liddell")
                                .attribute("locale", "en-GB").attribute("custom:tenant", "wonderland").tokens(3).build(),
                        // Bob's phone number is not verified: it is kept, but no alias names him by it.
                        UserRecord.builder("Bob").email("Bob@Example.com").phoneNumber("+15555550123")
                                .attribute("phone_number_verified", "false").attribute("custom:tenant", "builders")
                                .tokens(2).build(),
                        UserRecord.builder("carol").email("carol@example.com").disabled().build()),
                PoolRecord.of(CASE_SENSITIVE_POOL_ID),
                // Two users whose names differ only in case: distinct in a case-sensitive pool.
                List.of(
                        UserRecord.builder("Dave").tokens(2).build(),
                        UserRecord.builder("dave").tokens(1).build()));
    }

    /** Writes fresh demo content and returns what was written. */
    public static Future<DemoData> seed(IdentityWriter writer) {
        DemoData demo = create();
        return writer.write(demo.pool, demo.users)
                .compose(first -> writer.write(demo.caseSensitivePool, demo.caseSensitiveUsers))
                .map(demo);
    }

    /** The enabled user with tokens that the printed example disables. */
    public String demoUsername() {
        return users.get(0).username();
    }

    @Override
    public String toString() {
        return "pool " + pool.poolId() + " (case-insensitive; aliases " + pool.aliasAttributes() + "): "
                + summary(users) + "; pool " + caseSensitivePool.poolId() + " (case-sensitive): "
                + summary(caseSensitiveUsers);
    }

    private static String summary(List<UserRecord> users) {
        return String.join(", ", users.stream()
                .map(user -> user.username() + " (" + user.tokenIds().size() + " tokens"
                        + (user.enabled() ? "" : ", disabled") + ")")
                .toList());
    }
}
