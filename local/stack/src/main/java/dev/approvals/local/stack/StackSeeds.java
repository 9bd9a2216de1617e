package dev.approvals.local.stack;

import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.seeds.ApprovalSeeds;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** The stack's {@code --seed}: the sample events' approvals pending at version 1, plus random demo ones. */
final class StackSeeds {

    private StackSeeds() {
    }

    static List<LocalStack.SeededApproval> seed(LocalDataApi dataApi, Path events, int demo) {
        ApprovalSeeds seeds = ApprovalSeeds.into(dataApi.dataSource(dataApi.databaseName()));
        List<LocalStack.SeededApproval> seeded = new ArrayList<>();
        Map<UUID, String> samples = SampleEvents.approvalIds(events);
        List<ApprovalSeeds.Seed> fromEvents = samples.keySet().stream()
                .map(id -> new ApprovalSeeds.Seed(id, ApprovalSeeds.REFUND, null)).toList();
        for (ApprovalSeeds.Seed seed : seeds.pendingAll(fromEvents)) {
            seeded.add(new LocalStack.SeededApproval(seed.id(), seed.status(), seed.version(), seed.action().type(),
                    "events/" + samples.get(seed.id())));
        }
        for (ApprovalSeeds.Seed seed : seeds.pendingRandom(demo)) {
            seeded.add(new LocalStack.SeededApproval(seed.id(), seed.status(), seed.version(), seed.action().type(), "demo"));
        }
        return seeded;
    }
}
