package dev.approvals.wiring;

import dev.approvals.store.DatabaseTarget;
import software.amazon.awssdk.regions.Region;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

import static dev.approvals.wiring.EnvironmentVariables.APPROVER_GROUP;

/**
 * A decision function's configuration, read once at init from environment variables and validated there, so
 * a misconfigured function fails its init with a message naming the variable instead of failing requests.
 *
 * @param dataApiEndpoint       empty on AWS; the local emulator's URL when running locally
 * @param stepFunctionsEndpoint empty on AWS; the local stack's callback endpoint when running locally
 * @param approverGroup         empty when any authenticated caller may decide
 */
public record FunctionConfig(DatabaseTarget database, Region region, Optional<URI> dataApiEndpoint,
                             Optional<URI> stepFunctionsEndpoint, Optional<String> approverGroup) {

    public static FunctionConfig fromEnvironment(Map<String, String> env) {
        AwsEndpoints aws = AwsEndpoints.fromEnvironment(env);
        return new FunctionConfig(aws.database(), aws.region(), aws.dataApiEndpoint(), aws.stepFunctionsEndpoint(),
                AwsEndpoints.optional(env, APPROVER_GROUP));
    }

    AwsEndpoints aws() {
        return new AwsEndpoints(database, region, dataApiEndpoint, stepFunctionsEndpoint);
    }
}
