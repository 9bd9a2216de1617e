package dev.approvals.wiring;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * SnapStart priming: before Lambda snapshots an initialised function, {@code beforeCheckpoint} runs each primer
 * once, so the classes a request needs are loaded and their code compiled in the snapshot instead of in the
 * first request after each restore. A primer must not write to the database or reach the network: it answers
 * from canned Data API answers.
 *
 * <p>Factories register the hook only when {@code AWS_LAMBDA_INITIALIZATION_TYPE} is {@link #SNAPSHOT_INIT}: in any
 * other init no checkpoint can come, and registering through {@code org.crac} alone would cost a cold start some
 * 110 classes and 35 ms (it wraps the hook in a reflective proxy for the runtime's own CRaC API;
 * docs/performance.md). They compare with the constant (which the compiler copies into them) before calling
 * anything here, so an on-demand init loads neither this class, its {@code org.crac} interface nor a primer.
 */
public final class SnapStartPriming implements Resource {

    /** {@code AWS_LAMBDA_INITIALIZATION_TYPE} when Lambda initialises for a snapshot. */
    static final String SNAPSHOT_INIT = "snap-start";

    /** The runtime holds resources weakly: kept here for the life of the execution environment. */
    private static final List<SnapStartPriming> REGISTERED = new ArrayList<>();

    private final List<Runnable> primers;

    private SnapStartPriming(List<Runnable> primers) {
        this.primers = List.copyOf(primers);
    }

    /** Registers primers to run before the snapshot, in order; a factory calls this once at a SnapStart init. */
    static synchronized void register(Runnable... primers) {
        SnapStartPriming priming = new SnapStartPriming(List.of(primers));
        REGISTERED.add(priming);
        Core.getGlobalContext().register(priming);
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        primers.forEach(Runnable::run);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: SDK clients resolve credentials and open connections on first use after restore
    }
}
