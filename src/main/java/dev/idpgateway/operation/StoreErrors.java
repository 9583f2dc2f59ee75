package dev.idpgateway.operation;

import dev.idpgateway.protocol.ErrorCode;
import dev.idpgateway.redis.NotReplicatedException;
import dev.idpgateway.store.AmbiguousUserException;
import dev.idpgateway.store.NoSuchPoolException;
import dev.idpgateway.store.NoSuchUserException;
import io.vertx.core.Future;

/** Maps what the store reports to the modelled errors of the Cognito operations. */
final class StoreErrors {
    private StoreErrors() {
    }

    static <T> Future<T> toAwsError(Throwable failure) {
        if (failure instanceof NoSuchPoolException pool) {
            return Future.failedFuture(ErrorCode.RESOURCE_NOT_FOUND.exception(
                    "User pool " + pool.poolId() + " does not exist."));
        }
        if (failure instanceof NoSuchUserException) {
            return Future.failedFuture(ErrorCode.USER_NOT_FOUND.exception());
        }
        if (failure instanceof AmbiguousUserException) {
            // InvalidParameterException: modelled for every one of these operations (so SDKs raise a typed
            // error), a client error that retrying cannot fix, and it does not claim the user is missing
            // (UserNotFoundException) or that the service failed (InternalErrorException, which SDKs retry).
            // Cognito's own AliasExistsException is not modelled here. The message never echoes the Username.
            return Future.failedFuture(ErrorCode.INVALID_PARAMETER.exception(
                    "Username matches more than one user in this pool; nothing was changed."));
        }
        if (failure instanceof NotReplicatedException) {
            return Future.failedFuture(ErrorCode.INTERNAL_ERROR.exception(
                    "The change was made but not confirmed by enough replicas in time. Retry the request."));
        }
        return Future.failedFuture(failure);
    }
}
