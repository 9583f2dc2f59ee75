package dev.idpgateway.store;

import dev.idpgateway.redis.RedisCommands;
import io.vertx.core.Future;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds the one user a {@code Username} names and runs a user script on that user. A name may be
 * a username, an alias the pool allows or a sub, and Cognito keeps it unique to one account; the
 * gateway refuses to act when the stored data breaks that rule. So every candidate is read in one
 * pipelined round trip (EXISTS of the user key, GET of each allowed alias index and of the sub
 * index, each its own command, since on Redis Cluster the indexes live in other slots than the
 * user's keys), then the script runs once on the one account found. Only when the candidates name
 * two accounts is each index hit confirmed against its user's hash (one more round trip on that
 * rare path), so that a stale index never causes a refusal; two live accounts fail with
 * {@link AmbiguousUserException} and nothing changes.
 *
 * <p>The script ({@link UserScripts#byIndex}) re-checks atomically that a user found through an
 * index only still carries the indexed value, so a concurrent change of that attribute never makes
 * an operation act on the wrong account; when it no longer does, resolution starts over once.
 *
 * <p>Where one node holds every key (standalone, sentinel) the common case takes one round trip:
 * {@link UserScripts#byName} reads the indexes itself and acts when the name is the username of the
 * only account it names, or answers that nothing matches; any other outcome sends the request down
 * the general path above.
 */
final class UserResolver {
    private static final Logger LOG = LoggerFactory.getLogger(UserResolver.class);
    /** Script runs per request at most: one more when an index changes under it or a stored value needs folding. */
    private static final int ATTEMPTS = 2;
    /** The script's reply when an index names another account than the username does. */
    private static final int NAMES_ANOTHER_ACCOUNT = -2;

    private final RedisCommands redis;
    private final KeySchema keys;
    private final PoolSettingsCache pools;
    private final AuditTrail audit;
    /** Standalone or sentinel: the indexes, the user's keys and the audit stream on one node. */
    private final boolean oneNode;

    UserResolver(RedisCommands redis, KeySchema keys, PoolSettingsCache pools, AuditTrail audit, boolean oneNode) {
        this.redis = redis;
        this.keys = keys;
        this.pools = pools;
        this.audit = audit;
        this.oneNode = oneNode;
    }

    /** The user a name resolved to, and the reply {@code {1, ...}} of the script that ran on it. */
    record Resolved(String userKey, Response reply) {
    }

    /**
     * @param context who asks for a change, for the audit event the script writes where it can; null for a read
     * @return the resolved user and the script's reply; a failed future with {@link NoSuchPoolException},
     * {@link NoSuchUserException} or {@link AmbiguousUserException} when there is no such pool, no
     * such user, or more than one
     */
    Future<Resolved> run(String poolId, String username, UserScripts scripts, AuditContext context) {
        return run(redis, poolId, username, scripts, context);
    }

    /** The same, with the user's reads and the script sent through {@code commands}. */
    Future<Resolved> run(RedisCommands commands, String poolId, String username, UserScripts scripts, AuditContext context) {
        return pools.get(poolId).compose(pool -> {
            Resolution resolution = new Resolution(commands, poolId, pool, username, scripts, context);
            return oneNode ? resolution.resolveByName() : resolution.resolve(ATTEMPTS);
        });
    }

    /** One resolution of one name: what it needs to read the candidates and run the script. */
    private final class Resolution {
        private final RedisCommands commands;
        private final String poolId;
        private final PoolSettings pool;
        private final String username;
        private final UserScripts scripts;
        private final AuditContext context;

        Resolution(RedisCommands commands, String poolId, PoolSettings pool, String username, UserScripts scripts,
                   AuditContext context) {
            this.commands = commands;
            this.poolId = poolId;
            this.pool = pool;
            this.username = username;
            this.scripts = scripts;
            this.context = context;
        }

        /** One script that resolves the name and acts; the general path when an index names another account. */
        private Future<Resolved> resolveByName() {
            String ownKey = pool.userKey(username);
            List<String> scriptKeys = new ArrayList<>(userKeys(ownKey));
            for (Match match : indexMatches()) {
                scriptKeys.add(indexKey(match));
            }
            return scripts.byName().run(commands, scriptKeys, sharedArguments(ownKey))
                    .compose(reply -> switch (reply.get(0).toInteger()) {
                        case 1 -> Future.succeededFuture(new Resolved(ownKey, reply));
                        case NAMES_ANOTHER_ACCOUNT -> resolve(ATTEMPTS);
                        default -> Future.failedFuture(new NoSuchUserException());
                    });
        }

        /** KEYS[1..3] of every user script: the user hash, its token index and, on one node, the audit stream. */
        private List<String> userKeys(String userKey) {
            return oneNode
                    ? List.of(keys.user(poolId, userKey), keys.tokenIndex(poolId, userKey), keys.events(poolId))
                    : List.of(keys.user(poolId, userKey), keys.tokenIndex(poolId, userKey));
        }

        /** ARGV[1..7] of every user script: the token key prefix, the user key, the audit arguments. */
        private List<String> sharedArguments(String userKey) {
            List<String> args = new ArrayList<>(10);
            args.add(keys.tokenPrefix(poolId, userKey));
            args.add(userKey);
            args.addAll(audit.scriptArguments(poolId, context));
            return args;
        }

        /** The indexes a name may be found by, as each spells the name: the aliases the pool allows, then the sub. */
        private List<Match> indexMatches() {
            List<Match> indexed = new ArrayList<>(4);
            for (String attribute : pool.lookupAttributes()) {
                indexed.add(new Match(attribute, pool.aliasValue(attribute, username), pool.ignoresCase(attribute)));
            }
            indexed.add(new Match("sub", username, false));
            return indexed;
        }

        /** Reads every candidate at once and groups the matches by the account they name. */
        private Future<Resolved> resolve(int attempts) {
            String ownKey = pool.userKey(username);
            List<Match> indexed = indexMatches();

            Future<Response> exists = commands.send(Request.cmd(Command.EXISTS).arg(keys.user(poolId, ownKey)));
            List<Future<Response>> hits = indexed.stream()
                    .map(match -> commands.send(Request.cmd(Command.GET).arg(indexKey(match))))
                    .toList();
            List<Future<Response>> reads = new ArrayList<>(hits);
            reads.add(exists);
            return Future.all(reads).compose(done -> {
                Map<String, List<Match>> accounts = new LinkedHashMap<>();
                if (exists.result().toInteger() == 1) {
                    accounts.put(ownKey, new ArrayList<>(List.of(Match.USERNAME)));
                }
                for (int i = 0; i < indexed.size(); i++) {
                    Response userKey = hits.get(i).result();
                    if (userKey != null) {
                        accounts.computeIfAbsent(userKey.toString(), key -> new ArrayList<>()).add(indexed.get(i));
                    }
                }
                return accounts.size() > 1 ? confirm(accounts, attempts) : runOnOnly(accounts, attempts);
            });
        }

        private String indexKey(Match match) {
            return match.kind().equals("sub") ? keys.sub(poolId, match.expected())
                    : keys.alias(poolId, match.kind(), match.expected());
        }

        /**
         * Keeps the accounts that still carry the value their index names them by (found as username:
         * they exist), by reading the matched fields of each account found only through indexes.
         */
        private Future<Resolved> confirm(Map<String, List<Match>> accounts, int attempts) {
            List<String> userKeys = new ArrayList<>(accounts.keySet());
            List<Future<Response>> reads = userKeys.stream().map(userKey -> {
                List<Match> matches = accounts.get(userKey);
                if (matches.contains(Match.USERNAME)) {
                    return Future.<Response>succeededFuture(null);
                }
                Request hmget = Request.cmd(Command.HMGET).arg(keys.user(poolId, userKey));
                matches.forEach(match -> hmget.arg(match.kind()));
                return commands.send(hmget);
            }).toList();
            return Future.all(reads).compose(done -> {
                Map<String, List<Match>> live = new LinkedHashMap<>();
                for (int i = 0; i < userKeys.size(); i++) {
                    List<Match> matches = accounts.get(userKeys.get(i));
                    Response stored = reads.get(i).result();
                    List<Match> confirmed = stored == null ? matches : new ArrayList<>();
                    for (int j = 0; stored != null && j < matches.size(); j++) {
                        Response value = stored.get(j);
                        if (value != null && spells(matches.get(j), value.toString())) {
                            confirmed.add(matches.get(j));
                        }
                    }
                    if (!confirmed.isEmpty()) {
                        live.put(userKeys.get(i), confirmed);
                    }
                }
                return live.size() > 1 ? refuse(live) : runOnOnly(live, attempts);
            });
        }

        private Future<Resolved> refuse(Map<String, List<Match>> accounts) {
            List<String> kinds = new ArrayList<>();
            kinds.add("username");
            kinds.addAll(pool.lookupAttributes());
            kinds.add("sub");
            kinds.removeIf(kind -> accounts.values().stream().flatMap(List::stream).noneMatch(match -> match.kind().equals(kind)));
            LOG.error("a Username in pool {} names {} users (as {}), against Cognito's rule that a name belongs to one "
                            + "account; the request was refused and nothing changed. Fix the writer of this data.",
                    poolId, accounts.size(), String.join(" and ", kinds));
            return Future.failedFuture(new AmbiguousUserException(kinds));
        }

        /** Runs the script on the one account found (none: no such user). */
        private Future<Resolved> runOnOnly(Map<String, List<Match>> accounts, int attempts) {
            if (accounts.isEmpty()) {
                return Future.failedFuture(new NoSuchUserException());
            }
            Map.Entry<String, List<Match>> account = accounts.entrySet().iterator().next();
            List<Match> matches = account.getValue();
            // Found as the username, the script's own EXISTS is the check; otherwise one index is enough.
            return runChecked(account.getKey(), matches.contains(Match.USERNAME) ? Match.USERNAME : matches.get(0), attempts);
        }

        private Future<Resolved> runChecked(String userKey, Match check, int attempts) {
            return runOn(userKey, check).recover(failure -> {
                if (!(failure instanceof IndexMismatch mismatch)) {
                    return Future.failedFuture(failure);
                }
                if (attempts <= 1) {
                    return Future.failedFuture(new NoSuchUserException());
                }
                // The script compares exactly (ignoring case for ASCII only): a stored value spelled
                // otherwise is still the indexed one when it folds to the index's spelling.
                if (spells(check, mismatch.current)) {
                    return runChecked(userKey, new Match(check.kind(), mismatch.current, false), attempts - 1);
                }
                // The attribute moved while we looked: resolve again.
                return resolve(attempts - 1);
            }).compose(user -> user != null ? Future.succeededFuture(user) : Future.failedFuture(new NoSuchUserException()));
        }

        /**
         * Runs the script for one user key.
         *
         * @return the outcome, {@code null} when there is no such user, or a failed future with
         * {@link IndexMismatch} when the check against the index failed
         */
        private Future<Resolved> runOn(String userKey, Match check) {
            List<String> args = sharedArguments(userKey);
            args.addAll(List.of(check.field(), check.expected(), check.ignoreCase() ? "1" : "0"));
            return scripts.byIndex().run(commands, userKeys(userKey), args).compose(reply -> switch (reply.get(0).toInteger()) {
                case 1 -> Future.succeededFuture(new Resolved(userKey, reply));
                case 0 -> Future.succeededFuture(null);
                default -> Future.failedFuture(new IndexMismatch(reply.get(1).toString()));
            });
        }

        /** Whether a value of the user hash field {@code match} checks is indexed under the spelling it looked up. */
        private boolean spells(Match match, String stored) {
            return pool.indexValue(match.kind(), stored).equals(match.expected());
        }
    }

    /**
     * How a name matched an account: as the username, or through the index of {@code kind} (an alias
     * attribute or {@code sub}) under the spelling {@code expected}, which the script re-checks in the
     * user hash field of that name.
     */
    private record Match(String kind, String expected, boolean ignoreCase) {
        static final Match USERNAME = new Match("username", "", false);

        /** The user hash field the script checks; none for the username, whose key the script checks. */
        String field() {
            return equals(USERNAME) ? "" : kind;
        }
    }

    /** The user no longer carries the attribute value its index pointed at. */
    private static final class IndexMismatch extends RuntimeException {
        private final String current;

        IndexMismatch(String current) {
            super("index mismatch", null, false, false);
            this.current = current;
        }
    }
}
