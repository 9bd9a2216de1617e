package dev.approvals.wiring;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import java.util.ArrayList;
import java.util.List;

/**
 * SnapStart priming: before Lambda snapshots an initialised function, {@code beforeCheckpoint} runs each primer
 * once, so the classes a request needs are loaded and their code compiled in the snapshot instead of in the
 * first request after each restore. Without SnapStart no checkpoint happens and nothing runs; registering is the
 * only cost. A primer must not write to the database or reach the network: it decides against a canned answer.
 */
public final class SnapStartPriming implements Resource {

    /** The runtime holds resources weakly: kept here for the life of the execution environment. */
    private static final List<SnapStartPriming> REGISTERED = new ArrayList<>();

    private final List<Runnable> primers;

    private SnapStartPriming(List<Runnable> primers) {
        this.primers = List.copyOf(primers);
    }

    /** Registers primers to run before the snapshot, in order; each function's factory calls this once at init. */
    public static synchronized void register(Runnable... primers) {
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
