package dev.approvals.local.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;

import dev.approvals.local.apigateway.JwtTokens;
import dev.approvals.local.stack.LocalStack;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures the inbox page on the local stack, from the browser's Performance API: bytes transferred on a first
 * load (empty cache) and on a reload (revalidated), and the time until the first page of approvals is shown and
 * usable (the page's {@code inbox-ready} mark). Written to target/inbox-load.txt; reported, never asserted.
 */
@Order(2)
class InboxLoadIT {

    private static final int LOADS = 7;
    private static final String MEASURE = """
            () => {
              const nav = performance.getEntriesByType('navigation')[0];
              const resources = performance.getEntriesByType('resource');
              const api = resources.filter(r => r.initiatorType === 'fetch' && !r.name.includes('/inbox/'));
              const files = resources.filter(r => !api.includes(r));
              const sum = list => list.reduce((total, r) => total + r.transferSize, 0);
              return {
                pageBytes: nav.transferSize + sum(files), pageFiles: 1 + files.length,
                pageBodyBytes: nav.encodedBodySize + files.reduce((total, r) => total + r.encodedBodySize, 0),
                apiBytes: sum(api),
                domInteractive: nav.domInteractive, domContentLoaded: nav.domContentLoadedEventEnd,
                load: nav.loadEventEnd, ready: performance.getEntriesByName('inbox-ready')[0].startTime,
              };
            }""";

    private static Playwright playwright;
    private static Browser browser;

    @BeforeAll
    static void start() {
        Chromium.executable();
        BrowserStack.get();
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
    }

    @AfterAll
    static void stop() {
        if (playwright != null) {
            playwright.close();
        }
    }

    @Test
    void firstLoadsAndReloads_areMeasured() throws Exception {
        // a full first page to show: 25 pending approvals at least
        for (int i = BrowserStack.pendingIds().size(); i < 25; i++) {
            BrowserStack.pending("refund", "{\"orderId\": \"L-" + i + "\", \"amount\": " + (10 + i) + "}", "agent-7",
                    null);
        }
        String token = JwtTokens.unsigned(JwtTokens.devClaims("alice", "alice", List.of("approvers"),
                LocalStack.LOCAL_ISSUER, LocalStack.LOCAL_CLIENT_ID, Instant.now(), Duration.ofHours(1)));
        // signed in as the dev sign-in would leave the tab, so each load is the inbox itself
        String session = "sessionStorage.setItem('approvals.session', JSON.stringify({token: '" + token
                + "', name: 'alice', expiresAt: Date.now() + 3600000}));";
        List<Map<String, Object>> first = new ArrayList<>();
        List<Map<String, Object>> again = new ArrayList<>();
        for (int i = 0; i < LOADS; i++) {
            try (BrowserContext context = browser.newContext()) { // a new profile: empty cache
                context.addInitScript(session);
                Page page = context.newPage();
                first.add(load(page, () -> page.navigate(BrowserStack.url())));
                again.add(load(page, page::reload));
            }
        }

        List<String> report = new ArrayList<>();
        report.add("Inbox page on the local stack, " + LOADS + " loads each, medians (ms from navigation start; "
                + "bytes as transferred, headers included)");
        report.add(line("first load (empty cache)", first));
        report.add(line("reload (files revalidated)", again));
        report.add("first loads, one by one: " + first);
        Path out = Path.of("target", "inbox-load.txt");
        Files.write(out, report);
        report.forEach(System.out::println);
        assertThat(first).allSatisfy(load -> assertThat(load.get("ready")).isNotNull());
    }

    private static Map<String, Object> load(Page page, Runnable navigation) {
        navigation.run();
        assertThat(page.locator("#approvals")).hasAttribute("aria-busy", "false");
        @SuppressWarnings("unchecked")
        Map<String, Object> measured = (Map<String, Object>) page.evaluate(MEASURE);
        return measured;
    }

    private static String line(String what, List<Map<String, Object>> loads) {
        Function<String, Double> median = key -> {
            List<Double> values = loads.stream().map(l -> ((Number) l.get(key)).doubleValue()).sorted().toList();
            return values.get(values.size() / 2);
        };
        return String.format(Locale.ROOT, "%-27s page %.0f bytes in %.0f files (bodies %.0f bytes), first API page "
                        + "%.0f bytes; DOM interactive %.0f, DOMContentLoaded %.0f, load %.0f, inbox ready (time to "
                        + "interactive) %.0f", what, median.apply("pageBytes"), median.apply("pageFiles"),
                median.apply("pageBodyBytes"), median.apply("apiBytes"), median.apply("domInteractive"),
                median.apply("domContentLoaded"), median.apply("load"), median.apply("ready"));
    }
}
