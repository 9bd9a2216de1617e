package dev.approvals.local.lambda;

import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link LambdaFunction} pools its execution environments.
 *
 * @param minEnvironments environments started up front and kept (0: all on demand)
 * @param maxEnvironments the most environments at once (each is a JVM)
 * @param initTimeout     how long an environment may take to initialise before it is killed
 * @param snapStart       initialise as SnapStart does before taking a snapshot: the runtime runs the CRaC
 *                        {@code beforeCheckpoint} hooks, then {@code afterRestore} ones (no snapshot is taken).
 *                        The JVM flags stay those of an on-demand init (java25 on Lambda drops the C1-only
 *                        cap under SnapStart), so that a comparison shows what the hooks change
 */
public record PoolSettings(int minEnvironments, int maxEnvironments, Duration initTimeout, boolean snapStart) {
    public PoolSettings {
        if (minEnvironments < 0 || maxEnvironments < 1 || minEnvironments > maxEnvironments) {
            throw new IllegalArgumentException("Need 0 <= minEnvironments <= maxEnvironments, 1 <= maxEnvironments");
        }
        Objects.requireNonNull(initTimeout, "initTimeout");
    }

    public PoolSettings(int minEnvironments, int maxEnvironments, Duration initTimeout) {
        this(minEnvironments, maxEnvironments, initTimeout, false);
    }

    public static PoolSettings of(int minEnvironments, int maxEnvironments) {
        return new PoolSettings(minEnvironments, maxEnvironments, Duration.ofSeconds(60));
    }
}
