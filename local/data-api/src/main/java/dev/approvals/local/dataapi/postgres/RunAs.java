package dev.approvals.local.dataapi.postgres;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How PostgreSQL processes are started: directly, or as an unprivileged user when this JVM is root (PostgreSQL
 * refuses to run as root; CI containers and this project's machines are root).
 */
final class RunAs {
    private static final String RUN_AS_PROPERTY = "approvals.embedded-pg.run-as";

    private final List<String> prefix;
    private final String userName;
    private final int uid;
    private final int gid;

    private RunAs(List<String> prefix, String userName, int uid, int gid) {
        this.prefix = prefix;
        this.userName = userName;
        this.uid = uid;
        this.gid = gid;
    }

    static RunAs detect() {
        if (!isRoot()) {
            return new RunAs(List.of(), null, -1, -1);
        }
        String user = System.getProperty(RUN_AS_PROPERTY, "nobody");
        int[] ids = lookUp(user);
        if (onPath("setpriv")) {
            return new RunAs(List.of("setpriv", "--reuid=" + ids[0], "--regid=" + ids[1], "--clear-groups",
                    "--"), user, ids[0], ids[1]);
        }
        if (onPath("runuser")) {
            return new RunAs(List.of("runuser", "-u", user, "--"), user, ids[0], ids[1]);
        }
        throw new IllegalStateException("PostgreSQL cannot run as root, and neither setpriv nor runuser is"
                + " available to start it as '" + user + "': run as a normal user or give a database URL");
    }

    boolean isNeeded() {
        return !prefix.isEmpty();
    }

    String userName() {
        return userName;
    }

    List<String> wrap(List<String> command) {
        List<String> full = new ArrayList<>(prefix);
        full.addAll(command);
        return full;
    }

    void giveOwnership(Path path) throws IOException {
        if (isNeeded()) {
            Files.setAttribute(path, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(path, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static boolean isRoot() {
        if (PostgresFiles.operatingSystem().equals("Windows")) {
            return false;
        }
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static int[] lookUp(String user) {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"))) {
                String[] parts = line.split(":");
                if (parts.length > 3 && parts[0].equals(user)) {
                    return new int[] {Integer.parseInt(parts[2]), Integer.parseInt(parts[3])};
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        if (user.equals("nobody")) {
            return new int[] {65534, 65534};
        }
        throw new IllegalStateException("Unknown user '" + user + "' (system property " + RUN_AS_PROPERTY + ")");
    }

    private static boolean onPath(String program) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin:/usr/sbin:/sbin");
        for (String dir : (path + ":/usr/sbin:/sbin:/usr/bin:/bin").split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }
}
