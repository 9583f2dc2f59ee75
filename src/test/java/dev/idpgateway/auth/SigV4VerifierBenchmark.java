package dev.idpgateway.auth;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Nanoseconds per verification of an AdminDisableUser request as the AWS SDK signs it, with the
 * signing key already cached (the steady state: one derivation per key and day); {@code policy}
 * compares the gateway's signing policy with SigV4's minimum alone, to show what its checks cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SigV4VerifierBenchmark {
    @Param({"awsJson", "sigv4Minimum"})
    public String policy;
    private SigV4Verifier verifier;
    private SignedRequest request;

    @Setup
    public void setUp() {
        verifier = new SigV4Verifier(TestCredentials.sample(), SdkSigning.REGION, SdkSigning.SERVICE,
                policy.equals("awsJson") ? SigningPolicy.awsJson(Set.of(SdkSigning.AWS_HOST))
                        : SigningPolicy.SIGV4_MINIMUM, Clock.fixed(SdkSigning.NOW, ZoneOffset.UTC));
        request = SdkSigning.adminDisableUser(TestCredentials.ACCOUNT_SERVICE_KEY,
                TestCredentials.ACCOUNT_SERVICE_SECRET, SdkSigning.NOW);
        verifier.authenticate(request); // warms the signing-key cache
    }

    @Benchmark
    public Caller verifyAdminDisableUser() {
        return verifier.authenticate(request);
    }
}
