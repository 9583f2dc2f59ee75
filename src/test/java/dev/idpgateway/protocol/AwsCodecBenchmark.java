package dev.idpgateway.protocol;

import dev.idpgateway.operation.AdminUserInput;
import io.vertx.core.buffer.Buffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per request for the CPU parts of the codec on the hot path: reading and validating
 * an AdminDisableUser body, and what a response costs besides the HTTP layer (request id, Date,
 * and for errors the JSON body). Run: README, "Performance".
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class AwsCodecBenchmark {
    private final Buffer body = Buffer.buffer("{\"UserPoolId\":\"us-east-1_Bench\",\"Username\":\"user-0000001\"}");
    private final AwsException userNotFound = ErrorCode.USER_NOT_FOUND.exception();

    @Benchmark
    public AdminUserInput decodeAndValidate() {
        return AdminUserInput.decode(body);
    }

    @Benchmark
    public String requestIdAndDate() {
        return RequestIds.next() + AwsResponses.httpDate();
    }

    @Benchmark
    public Buffer encodeErrorBody() {
        return AwsResponses.errorBody(userNotFound);
    }
}
