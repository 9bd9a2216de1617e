package dev.approvals.wiring;

/**
 * Every environment variable the decision functions read, and nothing else: {@code template.yaml} declares
 * exactly these for each function (a template test checks both directions).
 */
public final class EnvironmentVariables {

    /** ARN of the Aurora cluster the Data API addresses. Required. */
    public static final String DB_CLUSTER_ARN = "DB_CLUSTER_ARN";
    /** ARN of the Secrets Manager secret holding the database credentials. Required. */
    public static final String DB_SECRET_ARN = "DB_SECRET_ARN";
    /** PostgreSQL database name. Required. */
    public static final String DB_NAME = "DB_NAME";
    /** Data API endpoint override, e.g. http://127.0.0.1:8450 for the local emulator. Optional: empty means AWS. */
    public static final String DATA_API_ENDPOINT = "DATA_API_ENDPOINT";
    /** When set, only callers whose {@code cognito:groups} claim contains this group may decide. Optional. */
    public static final String APPROVER_GROUP = "APPROVER_GROUP";
    /** Step Functions endpoint override for workflow callbacks, e.g. the local stack's. Optional: empty means AWS. */
    public static final String STEP_FUNCTIONS_ENDPOINT = "STEP_FUNCTIONS_ENDPOINT";
    /** Set by the Lambda runtime itself; never declared in the template. */
    public static final String AWS_REGION = "AWS_REGION";
    /** Set by Lambda: {@code snap-start} when the init ends in a snapshot (then priming runs). Never declared. */
    public static final String AWS_LAMBDA_INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";

    private EnvironmentVariables() {
    }
}
