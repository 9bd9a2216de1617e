package dev.approvals.wiring;

import dev.approvals.invocation.DecisionLog;
import dev.approvals.invocation.LogSettings;

import java.util.Map;

/** Each function's log line on standard output, with the log settings Lambda passes from {@code LoggingConfig}. */
final class FunctionLogs {

    private FunctionLogs() {
    }

    static DecisionLog standardOutput(Map<String, String> env) {
        return new DecisionLog(System.out, LogSettings.from(env.get(EnvironmentVariables.AWS_LAMBDA_LOG_FORMAT),
                env.get(EnvironmentVariables.AWS_LAMBDA_LOG_LEVEL)));
    }
}
