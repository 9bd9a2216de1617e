package dev.approvals.callback;

import dev.approvals.core.Approval;
import dev.approvals.core.ApprovalStatus;
import dev.approvals.errors.ApprovalRejectedException;
import dev.approvals.json.ApprovalJson;
import dev.approvals.json.Json;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.sfn.SfnClient;

import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Closes a workflow's {@code .waitForTaskToken} task: {@code SendTaskSuccess} with the approved approval as output,
 * or {@code SendTaskFailure} with {@link ApprovalRejectedException#ERROR_NAME} and the reason as cause. The SDK
 * retries transient failures; what still fails is reported, not thrown.
 */
public final class StepFunctionsCallbacks implements WorkflowCallbacks {

    /** The task was closed, timed out or never existed: the workflow is gone or already resumed. */
    private static final Set<String> WORKFLOW_GONE_ERRORS = Set.of("TaskTimedOut", "TaskDoesNotExist", "InvalidToken");
    /** Step Functions limits a failure cause to 32768 characters. */
    private static final int MAX_CAUSE = 32768;

    private final Supplier<SfnClient> sfn;

    /** @param sfn gives the client on first use; functions that never call back never build it */
    public StepFunctionsCallbacks(Supplier<SfnClient> sfn) {
        this.sfn = Objects.requireNonNull(sfn, "sfn");
    }

    @Override
    public CallbackOutcome resume(Approval approval) {
        String token = approval.taskToken();
        if (token == null || token.isEmpty()) {
            return CallbackOutcome.NOT_WAITED_ON;
        }
        try {
            if (approval.status() == ApprovalStatus.APPROVED) {
                sfn.get().sendTaskSuccess(b -> b.taskToken(token).output(Json.write(ApprovalJson.of(approval))));
            } else if (approval.status() == ApprovalStatus.REJECTED) {
                sfn.get().sendTaskFailure(b -> b.taskToken(token)
                        .error(ApprovalRejectedException.ERROR_NAME)
                        .cause(cause(approval)));
            } else {
                return CallbackOutcome.NOT_WAITED_ON;
            }
            return CallbackOutcome.DELIVERED;
        } catch (SdkException failed) {
            // Matched by error code, not exception class: a catch clause naming SFN model classes would load
            // them when this class is verified at init, which is the cold-start cost the lazy client avoids.
            return failed instanceof AwsServiceException service && service.awsErrorDetails() != null
                    && WORKFLOW_GONE_ERRORS.contains(service.awsErrorDetails().errorCode())
                    ? CallbackOutcome.WORKFLOW_GONE
                    : CallbackOutcome.FAILED;
        }
    }

    private static String cause(Approval approval) {
        String cause = approval.decisionReason() != null
                ? approval.decisionReason()
                : "Rejected by " + approval.decidedBy();
        return cause.length() > MAX_CAUSE ? cause.substring(0, MAX_CAUSE) : cause;
    }
}
