package dev.approvals.wiring;

import java.util.function.Supplier;

/**
 * An SDK client built on its first use rather than at init: the init (and the SnapStart snapshot) does not load a
 * second SDK client, and a function that never calls that service never pays for one. Subclasses say how to build
 * it (no lambda: the init should not spin one up for a client it may never use).
 */
abstract class LazyClient<C> implements Supplier<C> {

    private volatile C client;

    @Override
    public final C get() {
        C built = client;
        if (built == null) {
            synchronized (this) {
                built = client;
                if (built == null) {
                    built = build();
                    client = built;
                }
            }
        }
        return built;
    }

    protected abstract C build();
}
