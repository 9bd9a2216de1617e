package dev.approvals.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.approvals.local.dataapi.DatabaseRoles;
import dev.approvals.local.dataapi.LocalDataApi;
import dev.approvals.local.seeds.ApprovalSeeds;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL's own planning and execution time of each function's statement on the conflict path (the approval
 * decided by another), as the approver role, planned afresh on every call as the local Data API sends it (unnamed
 * statements, {@code prepareThreshold=0}): {@code EXPLAIN (ANALYZE, SUMMARY)} alternating between the statements,
 * the second half counted. Nothing here is asserted.
 * <pre>bench/run.sh plans [calls per statement]</pre>
 */
public final class StatementPlans {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern NAMED = Pattern.compile("(?<!:):([A-Za-z][A-Za-z0-9_]*)");
    private static final UUID ID = UUID.fromString("5b0c7f2e-8a3d-4c1b-9e6f-2d4a8b1c3e5f");

    private StatementPlans() {
    }

    public static void main(String[] args) throws Exception {
        int calls = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        LocalDataApi dataApi = LocalDataApi.shared();
        try {
            DatabaseRoles.registerAll(dataApi, dataApi.databaseName());
            var jdbc = dataApi.dataSource(dataApi.databaseName());
            ApprovalSeeds.into(jdbc).pending(ID);
            try (Connection c = jdbc.getConnection(); Statement s = c.createStatement()) {
                s.execute("UPDATE ai_approvals SET status = 'approved', version = 2, decided_by = 'bench-other',"
                        + " decided_at = now() WHERE id = '" + ID + "'");
            }
            Map<String, String> statements = statements(args);
            Map<String, List<double[]>> timings = new LinkedHashMap<>();
            statements.keySet().forEach(name -> timings.put(name, new ArrayList<>()));
            try (Connection c = jdbc.getConnection(); Statement s = c.createStatement()) {
                s.execute("SET ROLE " + DatabaseRoles.APPROVER);
                c.unwrap(org.postgresql.PGConnection.class).setPrepareThreshold(0); // as the local Data API
                for (int i = 0; i < calls; i++) {
                    for (var statement : statements.entrySet()) {
                        double[] t = explain(c, statement.getValue(), "EXPLAIN (ANALYZE, SUMMARY, FORMAT JSON) ");
                        long started = System.nanoTime();
                        explain(c, statement.getValue(), "");
                        t[2] = (System.nanoTime() - started) / 1e6;
                        if (i >= calls / 2) {
                            timings.get(statement.getKey()).add(t);
                        }
                    }
                }
            }
            System.out.printf("PostgreSQL's planning and execution (EXPLAIN ANALYZE), conflict path, %d calls each,"
                    + " second half; %s%n", calls, Machine.describe());
            System.out.println("| statement | planning, median | execution, median | total, median | JDBC wall, median |");
            System.out.println("|---|---|---|---|---|");
            for (var timing : timings.entrySet()) {
                List<Double> plan = new ArrayList<>();
                List<Double> exec = new ArrayList<>();
                List<Double> total = new ArrayList<>();
                List<Double> jdbcWall = new ArrayList<>();
                for (double[] t : timing.getValue()) {
                    plan.add(t[0]);
                    exec.add(t[1]);
                    total.add(t[0] + t[1]);
                    jdbcWall.add(t[2]);
                }
                System.out.printf("| %s | %.3f ms | %.3f ms | %.3f ms | %.3f ms |%n", timing.getKey(), Stats.median(plan),
                        Stats.median(exec), Stats.median(total), Stats.median(jdbcWall));
            }
            long postmaster;
            try (Connection c = jdbc.getConnection()) {
                postmaster = postmaster(c);
            }
            throughDataApi(dataApi, statements, calls, postmaster);
        } finally {
            dataApi.close();
        }
    }

    /**
     * The same statements through the local Data API with the SDK (this JVM, full JIT), as the approver role, in
     * blocks of 50 calls alternating between the statements (the second half counted): wall time per call, and CPU
     * per call of this JVM (the SDK client and the emulator) and of PostgreSQL (all the server's processes), which a
     * busy machine does not inflate as it does wall time.
     */
    private static void throughDataApi(LocalDataApi dataApi, Map<String, String> statements, int calls,
                                       long postmaster) {
        String secretArn = DatabaseRoles.secretArn(dataApi, DatabaseRoles.APPROVER);
        int block = 50;
        Map<String, List<Double>> timings = new LinkedHashMap<>();
        Map<String, double[]> cpu = new LinkedHashMap<>();
        statements.keySet().forEach(name -> {
            timings.put(name, new ArrayList<>());
            cpu.put(name, new double[3]);
        });
        var threads = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory
                .getOperatingSystemMXBean();
        try (var client = dataApi.newClient()) {
            for (int b = 0; b < calls / block; b++) {
                for (var statement : statements.entrySet()) {
                    List<software.amazon.awssdk.services.rdsdata.model.SqlParameter> parameters = new ArrayList<>();
                    Matcher m = NAMED.matcher(statement.getValue());
                    java.util.Set<String> seen = new java.util.HashSet<>();
                    while (m.find()) {
                        if (seen.add(m.group(1))) {
                            parameters.add(dataApiParameter(m.group(1)));
                        }
                    }
                    long jvmBefore = threads.getProcessCpuTime();
                    long pgBefore = postgresCpuNanos(postmaster);
                    for (int i = 0; i < block; i++) {
                        long started = System.nanoTime();
                        client.executeStatement(r -> r.resourceArn(dataApi.clusterArn()).secretArn(secretArn)
                                .database(dataApi.databaseName()).sql(statement.getValue()).parameters(parameters));
                        if (b >= calls / block / 2) {
                            timings.get(statement.getKey()).add((System.nanoTime() - started) / 1e6);
                        }
                    }
                    if (b >= calls / block / 2) {
                        double[] c = cpu.get(statement.getKey());
                        c[0] += threads.getProcessCpuTime() - jvmBefore;
                        c[1] += postgresCpuNanos(postmaster) - pgBefore;
                        c[2] += block;
                    }
                }
            }
        }
        System.out.printf("%nThrough the local Data API (SDK, this JVM), %d calls each in blocks of %d, second half;"
                + " %s%n", calls, block, Machine.describe());
        System.out.println("| statement | wall, median | p90 | CPU per call: this JVM (SDK + emulator) |"
                + " PostgreSQL |");
        System.out.println("|---|---|---|---|---|");
        for (var timing : timings.entrySet()) {
            double[] c = cpu.get(timing.getKey());
            System.out.printf("| %s | %.3f ms | %.3f ms | %.0f µs | %.0f µs |%n", timing.getKey(),
                    Stats.median(timing.getValue()), Stats.percentile(timing.getValue(), 90), c[0] / c[2] / 1e3,
                    c[1] / c[2] / 1e3);
        }
    }

    /** CPU time of the postmaster and its children (backends and workers): /proc/pid/schedstat, in ns. */
    private static long postgresCpuNanos(long postmaster) {
        long nanos = 0;
        java.io.File[] procs = new java.io.File("/proc").listFiles((dir, name) -> name.chars()
                .allMatch(Character::isDigit));
        for (java.io.File proc : procs == null ? new java.io.File[0] : procs) {
            try {
                String stat = java.nio.file.Files.readString(proc.toPath().resolve("stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (Long.parseLong(f[1]) == postmaster || Long.parseLong(proc.getName()) == postmaster) {
                    String schedstat = java.nio.file.Files.readString(proc.toPath().resolve("schedstat"));
                    nanos += Long.parseLong(schedstat.substring(0, schedstat.indexOf(' ')));
                }
            } catch (java.io.IOException | RuntimeException e) {
                // the process ended meanwhile
            }
        }
        return nanos;
    }

    /** The postmaster: the parent of this connection's backend. */
    private static long postmaster(Connection c) throws SQLException, java.io.IOException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_backend_pid()")) {
            rs.next();
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/" + rs.getInt(1) + "/stat"));
            return Long.parseLong(stat.substring(stat.lastIndexOf(')') + 2).split(" ")[1]);
        }
    }

    private static software.amazon.awssdk.services.rdsdata.model.SqlParameter dataApiParameter(String name) {
        var field = software.amazon.awssdk.services.rdsdata.model.Field.builder();
        var parameter = software.amazon.awssdk.services.rdsdata.model.SqlParameter.builder().name(name);
        switch (name) {
            case "id" -> parameter.typeHint(software.amazon.awssdk.services.rdsdata.model.TypeHint.UUID)
                    .value(field.stringValue(ID.toString()).build());
            case "expectedVersion" -> parameter.value(field.longValue(1L).build());
            case "targetStatus" -> parameter.value(field.stringValue("approved").build());
            case "actor" -> parameter.value(field.stringValue("bench").build());
            default -> parameter.value(field.stringValue("bench-" + name).build());
        }
        return parameter.build();
    }

    private static Map<String, String> statements(String[] args) {
        Map<String, String> statements = new LinkedHashMap<>();
        statements.put("floor's UPDATE ... RETURNING version", "UPDATE ai_approvals SET status = 'approved',"
                + " version = version + 1, decided_by = :actor, decided_at = now(), updated_at = now()"
                + " WHERE id = :id AND version = :expectedVersion AND status = 'pending' RETURNING version");
        statements.put("approve's decision statement", WarmBenchmark.decisionSql());
        statements.put("SELECT 1 (the call itself)", "SELECT 1 WHERE :id::text IS NOT NULL");
        for (int i = 1; i < args.length; i++) {
            statements.put("argument " + i, args[i]);
        }
        return statements;
    }

    /** One EXPLAIN (ANALYZE) of {@code sql} with the conflict's parameters: {planning ms, execution ms}. */
    private static double[] explain(Connection c, String sql, String explain) throws SQLException {
        List<String> names = new ArrayList<>();
        Matcher m = NAMED.matcher(sql);
        StringBuilder positional = new StringBuilder();
        while (m.find()) {
            names.add(m.group(1));
            m.appendReplacement(positional, "?");
        }
        m.appendTail(positional);
        try (PreparedStatement p = c.prepareStatement(explain + positional)) {
            for (int i = 0; i < names.size(); i++) {
                switch (names.get(i)) {
                    case "id" -> p.setObject(i + 1, ID);
                    case "expectedVersion" -> p.setLong(i + 1, 1L);
                    case "targetStatus" -> p.setString(i + 1, "approved");
                    case "actor" -> p.setString(i + 1, "bench");
                    default -> p.setString(i + 1, "bench-" + names.get(i));
                }
            }
            if (explain.isEmpty()) {
                p.execute();
                return null;
            }
            try (ResultSet rs = p.executeQuery()) {
                rs.next();
                JsonNode plan = JSON.readTree(rs.getString(1)).get(0);
                return new double[] {plan.get("Planning Time").asDouble(), plan.get("Execution Time").asDouble(), 0};
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
