package dev.idpgateway.operation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Set;

/**
 * The {@code UserStatus} AdminGetUser answers: the stored status when it is one of the model's
 * {@code UserStatusType} values, else {@code UNKNOWN}, because an SDK maps a value outside its enum
 * to "unknown to this SDK version" and callers could not act on it. A pool that holds such a status
 * is logged once (the value is not: the field is writers' data), and the pools already logged are
 * kept in a bounded cache, so that many pools cannot grow it without end; a pool pushed out of it is
 * logged again.
 */
final class UserStatusReport {
    private static final Logger LOG = LoggerFactory.getLogger(UserStatusReport.class);
    private static final Set<String> MODEL_VALUES = Set.of("UNCONFIRMED", "CONFIRMED", "ARCHIVED", "COMPROMISED",
            "UNKNOWN", "RESET_REQUIRED", "FORCE_CHANGE_PASSWORD", "EXTERNAL_PROVIDER");
    private static final String UNKNOWN = "UNKNOWN";
    private static final int POOLS_REMEMBERED = 1000;

    private final Cache<String, Boolean> poolsLogged = Caffeine.newBuilder().maximumSize(POOLS_REMEMBERED)
            .executor(Runnable::run) // maintenance on the calling thread: no pool hops from an event loop
            .build();

    /** @param stored the status as stored, not empty */
    String answer(String poolId, String stored) {
        if (MODEL_VALUES.contains(stored)) {
            return stored;
        }
        if (poolsLogged.asMap().putIfAbsent(poolId, Boolean.TRUE) == null) {
            LOG.warn("user pool {} holds a user whose status is not one of the model's UserStatusType values; "
                    + "AdminGetUser answers it as UNKNOWN (logged once per pool)", poolId);
        }
        return UNKNOWN;
    }
}
