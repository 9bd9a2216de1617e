package dev.approvals.wiring;

/**
 * Every environment variable the functions read, and nothing else: {@code template.yaml} declares, for each
 * function, exactly those its handler's code reads (a template test finds them in the built zip and checks both
 * directions).
 */
public final class EnvironmentVariables {

    /** ARN of the Aurora cluster the Data API addresses. Required. */
    public static final String DB_CLUSTER_ARN = "DB_CLUSTER_ARN";
    /** ARN of the Secrets Manager secret naming the function's own database role. Required. */
    public static final String DB_SECRET_ARN = "DB_SECRET_ARN";
    /** PostgreSQL database name. Required. */
    public static final String DB_NAME = "DB_NAME";
    /** Data API endpoint override, e.g. http://127.0.0.1:8450 for the local emulator. Optional: empty means AWS. */
    public static final String DATA_API_ENDPOINT = "DATA_API_ENDPOINT";
    /** When set, only callers whose {@code cognito:groups} claim contains this group may read and decide. Optional. */
    public static final String APPROVER_GROUP = "APPROVER_GROUP";
    /**
     * {@code true} lets any authenticated caller with the decide scope decide when {@link #APPROVER_GROUP} is empty:
     * the deployment's explicit opt-out. Otherwise an empty approver group fails the decision functions' init
     * (fail closed).
     */
    public static final String ALLOW_ANY_APPROVER = "ALLOW_ANY_APPROVER";
    /**
     * Who decides through the decision function's alias {@code workflow} (the state machine), e.g.
     * {@code workflow:auto-approval-policy}: the deployment names it, never the payload. Starts with
     * {@code workflow:}, a prefix no token subject may take. Optional: empty refuses that entry path.
     */
    public static final String WORKFLOW_ACTOR = "WORKFLOW_ACTOR";
    /** When set, only callers whose {@code cognito:groups} claim contains this group may propose. Optional. */
    public static final String PROPOSER_GROUP = "PROPOSER_GROUP";
    /** Step Functions endpoint override for workflow callbacks, e.g. the local stack's. Optional: empty means AWS. */
    public static final String STEP_FUNCTIONS_ENDPOINT = "STEP_FUNCTIONS_ENDPOINT";
    /**
     * The key that signs list cursors (at least 32 characters), from the template's generated secret. Required by
     * the read function. Never logged.
     */
    public static final String CURSOR_SIGNING_KEY = "CURSOR_SIGNING_KEY";
    /**
     * The workflow function's auto-approval policy: comma-separated action types a workflow may approve without a
     * person. Optional: empty means every workflow waits for a person. Set by whoever deploys, never by a requester.
     */
    public static final String AUTO_APPROVED_ACTION_TYPES = "AUTO_APPROVED_ACTION_TYPES";
    /**
     * The EventBridge bus the function publishes approval events to (docs/events.md). Optional: empty means the
     * function publishes nothing itself and its events wait in the outbox for the sweeper.
     */
    public static final String EVENT_BUS_NAME = "EVENT_BUS_NAME";
    /** EventBridge endpoint override, e.g. the local stack's stand-in. Optional: empty means AWS. */
    public static final String EVENTS_ENDPOINT = "EVENTS_ENDPOINT";
    /**
     * The outbox function's grace, in seconds: an unpublished event younger than this is left to the function that
     * wrote it. Optional: 10 when empty.
     */
    public static final String SWEEP_AFTER_SECONDS = "SWEEP_AFTER_SECONDS";
    /**
     * The executor's example action (docs/events.md): an https URL it POSTs each approved approval to, with the
     * approval id as {@code Idempotency-Key}. Optional: empty means the action only logs.
     */
    public static final String ACTION_WEBHOOK_URL = "ACTION_WEBHOOK_URL";
    /** Set by the Lambda runtime itself; never declared in the template. */
    public static final String AWS_REGION = "AWS_REGION";
    /** Set by Lambda: {@code snap-start} when the init ends in a snapshot (then priming runs). Never declared. */
    public static final String AWS_LAMBDA_INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    /** Set by Lambda from {@code LoggingConfig.LogFormat}: {@code JSON} or {@code Text}. Never declared. */
    public static final String AWS_LAMBDA_LOG_FORMAT = "AWS_LAMBDA_LOG_FORMAT";
    /** Set by Lambda from {@code LoggingConfig.ApplicationLogLevel} (JSON format only). Never declared. */
    public static final String AWS_LAMBDA_LOG_LEVEL = "AWS_LAMBDA_LOG_LEVEL";
    /**
     * Set by Lambda: the execution role's credentials, read first by {@link LambdaCredentials} (after a SnapStart
     * restore they are absent and the container endpoint serves them). Never declared.
     */
    public static final String AWS_ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String AWS_SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String AWS_SESSION_TOKEN = "AWS_SESSION_TOKEN";

    private EnvironmentVariables() {
    }
}
