package dev.idpgateway.operation;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;

/**
 * One Cognito API operation. The pipeline decodes the input, authorizes the caller for the user
 * pool, throttles, then executes; an operation only says how to read its input and what to do.
 *
 * @param <I> the operation's validated input
 */
public interface Operation<I> {
    /** The operation name as in {@code X-Amz-Target} and IAM actions, e.g. {@code AdminDisableUser}. */
    String name();

    /**
     * Reads and validates the request body against the model's constraints. No I/O.
     *
     * @throws dev.idpgateway.protocol.AwsException SerializationException or InvalidParameterException
     */
    I decode(Buffer body);

    /** The user pool the request is about: the resource it is authorized and throttled for. */
    String userPoolId(I input);

    /** Does the work; the future fails with an AwsException for a modelled error. */
    Future<Buffer> execute(I input, RequestContext context);
}
