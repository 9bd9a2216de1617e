package dev.approvals.local.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Playwright;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Debian's headless Chromium, driven by Playwright (which downloads no browser of its own). Where no Chromium can
 * be installed the tests are skipped, saying so; in CI ({@code CI=true}, where {@code .ci/run} installs it) a
 * missing Chromium fails them instead.
 */
final class Chromium {

    /** {@code CHROMIUM} names another binary; Debian's package installs this one. */
    static final Path DEFAULT = Path.of("/usr/bin/chromium");

    /** The machine's network is closed: no background requests, updates, sync or first-run pages. */
    private static final List<String> ARGUMENTS = List.of("--disable-background-networking",
            "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-gpu");

    private Chromium() {
    }

    static Path executable() {
        String configured = System.getenv("CHROMIUM");
        Path path = configured == null || configured.isBlank() ? DEFAULT : Path.of(configured);
        if (!Files.isExecutable(path)) {
            String why = "No Chromium at " + path + ": the inbox's browser tests need one (Debian: apt-get install "
                    + "-y chromium; .ci/run installs it)";
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            abort(why + ". Skipped.");
        }
        return path;
    }

    /** A Playwright driver that never downloads browsers. */
    static Playwright playwright() {
        return Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
    }

    /** Headless; as root Playwright adds --no-sandbox itself (Chromium's sandbox refuses to run as root). */
    static Browser launch(Playwright playwright) {
        return playwright.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(executable())
                .setHeadless(true)
                .setArgs(ARGUMENTS));
    }
}
