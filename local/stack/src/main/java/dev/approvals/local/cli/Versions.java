package dev.approvals.local.cli;

import picocli.CommandLine;

/** {@code --version}: the version in the jar's manifest. */
final class Versions implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = ApprovalsLocal.class.getPackage().getImplementationVersion();
        return new String[] {"approvals-local " + (version == null ? "(development build)" : version),
                "Java " + Runtime.version()};
    }
}
