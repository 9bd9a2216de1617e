package dev.approvals.local.browser;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.Route;
import com.microsoft.playwright.assertions.PlaywrightAssertions;
import com.microsoft.playwright.options.AriaRole;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The approver inbox in headless Chromium against the real local stack (the page served by InboxFunction, the
 * API's functions under the Lambda RIC, the local Data API, PostgreSQL): what a person sees and does, and what
 * ends up in the database.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Order(1) // first on the fresh stack: the screenshot shows only its own approvals
class InboxBrowserIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path SCREENSHOTS = Path.of("target", "screenshots");
    private static Playwright playwright;
    private static Browser browser;
    private final List<Inbox> opened = new ArrayList<>();

    @BeforeAll
    static void startBrowserAndStack() {
        Chromium.executable(); // skip or fail first, before starting anything
        BrowserStack.get();
        playwright = Chromium.playwright();
        browser = Chromium.launch(playwright);
        // a wait, not a timed assertion: how long the first cold starts may take on a busy 2-core machine
        PlaywrightAssertions.setDefaultAssertionTimeout(30_000);
    }

    @AfterAll
    static void stopBrowser() {
        if (playwright != null) {
            playwright.close();
        }
    }

    @AfterEach
    void closeContextsAndFaults() {
        opened.forEach(Inbox::close);
        BrowserStack.get().dataApi().faults().clear();
    }

    private Inbox signedIn(String name) {
        Inbox inbox = Inbox.signedIn(browser, name);
        opened.add(inbox);
        return inbox;
    }

    @Test
    @Order(1)
    void theInbox_showsWhatWaits_onAWideScreenAndAPhone_andTheScreenshotsAreSaved() throws Exception {
        Instant now = Instant.now();
        UUID refund = BrowserStack.pending("refund", "{\"orderId\": \"A-1042\", \"amount\": 42, \"currency\": "
                + "\"EUR\", \"reason\": \"Parcel arrived damaged\"}", "agent-7", now.plus(Duration.ofHours(4)));
        UUID email = BrowserStack.pending("send_email", "{\"to\": \"customer@example.com\", \"template\": "
                + "\"apology\", \"variables\": {\"name\": \"Ada\", \"voucher\": \"SORRY-10\"}}", "support-agent",
                now.plus(Duration.ofMinutes(25)));
        UUID spend = BrowserStack.pending("spend", "{\"amount\": 250, \"currency\": \"USD\", \"vendor\": \"ads\"}",
                "agent-9", null);
        Inbox inbox = signedIn("alice").showAll();

        assertThat(inbox.row(refund).locator(".action")).hasText("refund");
        assertThat(inbox.row(refund).locator(".requested-by")).hasText("agent-7");
        assertThat(inbox.row(refund).locator(".version")).hasText("1");
        assertThat(inbox.row(refund).locator(".expires")).hasText(Pattern.compile("^in (3 h 59 min|4 h 0 min)$"));
        assertThat(inbox.row(email).locator(".expires")).hasText(Pattern.compile("^in 2[45] min \\d+ s$"));
        assertThat(inbox.row(spend).locator(".expires")).hasText("never");
        String payload = inbox.row(refund).locator(".payload").textContent();
        assertThat(JSON.readTree(payload)).isEqualTo(JSON.readTree("{\"orderId\": \"A-1042\", \"amount\": 42, "
                + "\"currency\": \"EUR\", \"reason\": \"Parcel arrived damaged\"}"));
        assertThat(payload).as("formatted, two spaces a level").contains("\n  \"amount\": 42");
        assertThat(inbox.row(refund).getByLabel("Reason (optional)")).isEditable();
        Files.createDirectories(SCREENSHOTS);
        inbox.page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("inbox.png")).setFullPage(true));

        inbox.page.setViewportSize(390, 844);
        assertThat(inbox.approve(email)).isVisible();
        inbox.approve(refund).scrollIntoViewIfNeeded();
        Object overflow = inbox.page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth");
        assertThat(((Number) overflow).intValue()).as("no sideways scrolling on a phone").isLessThanOrEqualTo(0);
        assertThat(inbox.approve(refund).boundingBox().height).as("a thumb-sized button").isGreaterThanOrEqualTo(44);
        inbox.page.screenshot(new Page.ScreenshotOptions().setPath(SCREENSHOTS.resolve("inbox-phone.png")));
        assertThat(SCREENSHOTS.resolve("inbox.png")).isNotEmptyFile();
        assertThat(inbox.errors).as("errors the browser reported, CSP violations included").isEmpty();
    }

    @Test
    @Order(2)
    void twoApproversApproveTheSameApprovalAtOnce_oneIsTold_approved_theOtherWhoDecidedItAndWhen() {
        UUID id = BrowserStack.pending("refund", "{\"orderId\": \"B-7\", \"amount\": 90}", "agent-7", null);
        Inbox alice = signedIn("alice").showAll();
        Inbox bob = signedIn("bob").showAll();
        // both requests in flight together: every Data API call waits a little
        BrowserStack.get().dataApi().faults().latency(Duration.ofMillis(300));

        alice.approve(id).click();
        bob.approve(id).click();

        Pattern inFlight = Pattern.compile("^(|Approving…)$");
        assertThat(alice.outcome(id)).not().hasText(inFlight);
        assertThat(bob.outcome(id)).not().hasText(inFlight);
        String aliceSaw = alice.outcome(id).textContent();
        String bobSaw = bob.outcome(id).textContent();
        System.out.println("race: alice saw \"" + aliceSaw + "\"; bob saw \"" + bobSaw + "\"");
        List<String> answers = List.of(aliceSaw, bobSaw);
        assertThat(answers).filteredOn("Approved."::equals).hasSize(1);
        String winner = aliceSaw.equals("Approved.") ? "alice" : "bob";
        Inbox loser = winner.equals("alice") ? bob : alice;
        assertThat(winner.equals("alice") ? bobSaw : aliceSaw)
                .matches("Already approved by " + winner + " at .+\\.");
        assertThat(loser.state(id)).hasText("Approved by " + winner);
        assertThat(loser.approve(id)).isDisabled();
        assertThat(loser.reject(id)).isDisabled();
        assertThat(loser.row(id).locator(".version")).hasText("2");
        BrowserStack.Stored stored = BrowserStack.stored(id);
        assertThat(stored.status()).isEqualTo("approved");
        assertThat(stored.decidedBy()).isEqualTo(winner);
        assertThat(stored.version()).isEqualTo(2);
        assertThat(stored.events()).as("decisions recorded").isEqualTo(1);
    }

    @Test
    @Order(3)
    void aPayloadWithMarkup_isShownAsText_andNothingInItRuns() {
        String markup = "<img src=x onerror=\\\"document.title='pwned';window.pwned=1\\\">";
        String script = "</script><script>document.title='pwned';window.pwned=2</script>";
        UUID id = BrowserStack.pending("send_email", "{\"subject\": \"" + markup + "\", \"body\": \"" + script
                + "\"}", "<b>agent</b><img src=y onerror=alert(1)>", null);
        Inbox inbox = signedIn("alice");
        List<String> requested = Collections.synchronizedList(new ArrayList<>());
        inbox.page.onRequest(request -> requested.add(request.url()));
        Response page = inbox.page.navigate(BrowserStack.url());
        inbox.showAll();

        Locator payload = inbox.row(id).locator(".payload");
        // JSON text: the quotes inside the string are escaped as JSON escapes them
        assertThat(payload).containsText("<img src=x onerror=\\\"document.title='pwned';window.pwned=1\\\">");
        assertThat(payload).containsText("</script><script>document.title='pwned';window.pwned=2</script>");
        Locator row = inbox.row(id);
        assertThat(row.locator(".requested-by")).hasText("<b>agent</b><img src=y onerror=alert(1)>");
        assertThat(row.locator("img, script, b")).hasCount(0);
        assertThat(inbox.page).hasTitle("Approvals inbox");
        assertThat(inbox.page.evaluate("() => window.pwned === undefined")).isEqualTo(true);
        assertThat(requested).noneMatch(url -> url.endsWith("/x") || url.endsWith("/y"));
        assertThat(page.headerValue("content-security-policy")).contains("script-src 'self'")
                .doesNotContain("unsafe-inline");
    }

    @Test
    @Order(3)
    void aPayloadsNumbers_areShownAsProposed_notAsADoubleWouldRoundThem() {
        UUID id = BrowserStack.pending("refund", "{\"amount\": 12345678901234567.89, \"rate\": 1.50, \"huge\": 1e400}",
                "agent-7", null);
        Inbox inbox = signedIn("alice");
        inbox.page.navigate(BrowserStack.url());
        inbox.showAll();

        Locator payload = inbox.row(id).locator(".payload");
        assertThat(payload).containsText("\"amount\": 12345678901234567.89");
        assertThat(payload).containsText("\"rate\": 1.50");
        assertThat(payload).containsText("\"huge\": 1" + "0".repeat(400));
        assertThat(inbox.row(id).locator(".version")).hasText("1");
    }

    @Test
    @Order(4)
    void theCountdownReachesZero_theButtonsDisable_andTheRowSaysExpired() {
        UUID id = BrowserStack.pending("refund", "{\"orderId\": \"C-3\"}", "agent-7",
                Instant.now().plus(Duration.ofSeconds(12)));
        Inbox inbox = signedIn("bob").showAll();
        assertThat(inbox.state(id)).hasText("Pending");
        assertThat(inbox.row(id).locator(".expires")).hasText(Pattern.compile("^in \\d+ s$"));
        assertThat(inbox.approve(id)).isEnabled();

        assertThat(inbox.state(id)).hasText("Expired");

        assertThat(inbox.approve(id)).isDisabled();
        assertThat(inbox.reject(id)).isDisabled();
        assertThat(inbox.row(id).getByLabel("Reason (optional)")).isDisabled();
        assertThat(inbox.row(id).locator(".expires")).not().hasText(Pattern.compile("^in "));
        inbox.refresh();
        assertThat(inbox.state(id)).hasText("Expired"); // the server's "expired": true, once reloaded
        assertThat(BrowserStack.stored(id).status()).isEqualTo("pending");
    }

    @Test
    @Order(5)
    void signingInAndDecidingWithTheKeyboardOnly() {
        UUID id = BrowserStack.pending("refund", "{\"orderId\": \"K-1\"}", "agent-7", null);
        Inbox inbox = Inbox.signedOut(browser);
        opened.add(inbox);
        Page page = inbox.page;

        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))).isFocused();
        page.keyboard().press("Enter");
        page.waitForURL(Pattern.compile(".*/_local/sign-in/authorize.*"));
        page.keyboard().press("Tab");
        assertThat(page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in as alice")))
                .isFocused();
        page.keyboard().press("Enter");
        assertThat(page.locator("#who")).hasText("Signed in as alice");
        inbox.showAll();
        Locator reason = inbox.row(id).getByLabel("Reason (optional)");
        for (int presses = 0; presses < 500 && !isFocused(reason); presses++) {
            page.keyboard().press("Tab");
        }
        assertThat(reason).isFocused();
        page.keyboard().type("Checked by keyboard");
        page.keyboard().press("Tab");
        assertThat(inbox.approve(id)).isFocused();
        page.keyboard().press("Enter");

        assertThat(inbox.outcome(id)).hasText("Approved.");
        BrowserStack.Stored stored = BrowserStack.stored(id);
        assertThat(stored.decidedBy()).isEqualTo("alice");
        assertThat(stored.reason()).isEqualTo("Checked by keyboard");
    }

    @Test
    @Order(6)
    void aDatabaseThatCannotAnswer_is503_saidPlainly_andTheRetryOfTheSameClickDecidesOnce() {
        UUID id = BrowserStack.pending("refund", "{\"orderId\": \"R-5\"}", "agent-7", null);
        Inbox inbox = signedIn("alice").showAll();
        List<String> keys = Collections.synchronizedList(new ArrayList<>());
        inbox.page.onRequest(request -> {
            if (request.url().endsWith("/approve")) {
                keys.add(request.headerValue("idempotency-key"));
            }
        });
        // the approver's call only: the outbox sweep and earlier decisions' consumers share this Data API
        BrowserStack.get().dataApi().faults().forSecret(BrowserStack.secretOf("approvals_approver"))
                .statementTimeoutForNextCalls(1, "ExecuteStatement");

        inbox.approve(id).click();

        assertThat(inbox.outcome(id)).hasText("The service is busy (its database may be waking up). Try again in 5 "
                + "seconds: your click counts only once.");
        assertThat(inbox.approve(id)).isDisabled();
        assertThat(inbox.approve(id)).isEnabled(); // after Retry-After
        inbox.approve(id).click();
        assertThat(inbox.outcome(id)).hasText("Approved.");
        assertThat(keys).hasSize(2);
        assertThat(keys.get(1)).as("the retry sends the same key").isEqualTo(keys.get(0));
        BrowserStack.Stored stored = BrowserStack.stored(id);
        assertThat(stored.decisionKey()).isEqualTo(keys.get(0));
        assertThat(stored.events()).isEqualTo(1);
    }

    @Test
    @Order(7)
    void aMissingVersion_428_andAKeyReusedForTheOtherDecision_422_getPlainSentences() {
        UUID first = BrowserStack.pending("refund", "{\"orderId\": \"P-1\"}", "agent-7", null);
        UUID second = BrowserStack.pending("refund", "{\"orderId\": \"P-2\"}", "agent-7", null);
        Inbox inbox = signedIn("alice").showAll();
        Inbox staleTab = signedIn("alice").showAll();
        // what a broken client or proxy could do: the If-Match header does not arrive
        inbox.page.route("**/approvals/" + first + "/approve", route -> route.resume(
                new Route.ResumeOptions().setHeaders(without(route.request().headers(), "if-match"))));

        inbox.approve(first).click();

        assertThat(inbox.outcome(first)).hasText("The inbox could not tell which version you saw. Refresh the inbox "
                + "and decide again.");
        assertThat(BrowserStack.stored(first).status()).isEqualTo("pending");

        List<String> keys = new ArrayList<>();
        inbox.page.onRequest(request -> {
            if (request.url().endsWith("/approve")) {
                keys.add(request.headerValue("idempotency-key"));
            }
        });
        inbox.approve(second).click();
        assertThat(inbox.outcome(second)).hasText("Approved.");
        // the same key, sent again for the other decision (as a client reusing keys would)
        staleTab.page.route("**/approvals/" + second + "/reject", route -> {
            Map<String, String> headers = new HashMap<>(route.request().headers());
            headers.put("idempotency-key", keys.getLast());
            route.resume(new Route.ResumeOptions().setHeaders(headers));
        });
        staleTab.reject(second).click();

        assertThat(staleTab.outcome(second)).hasText("This click was already used to decide this approval the other "
                + "way (it is approved). Nothing more was changed; refresh the inbox.");
        assertThat(staleTab.state(second)).hasText("Approved by alice");
        assertThat(BrowserStack.stored(second).events()).isEqualTo(1);
    }

    @Test
    @Order(8)
    void anUnknownApproval_404_anExpiredSignIn_401_andAPersonOutsideTheGroup_403_getPlainSentences() {
        UUID id = BrowserStack.pending("refund", "{\"orderId\": \"N-1\"}", "agent-7", null);
        Inbox inbox = signedIn("bob").showAll();
        inbox.page.route("**/approvals/" + id + "/approve", route -> route.resume(new Route.ResumeOptions()
                .setUrl(route.request().url().replace(id.toString(), UUID.randomUUID().toString()))));
        inbox.approve(id).click();
        assertThat(inbox.outcome(id)).hasText("This approval no longer exists.");

        inbox.page.unrouteAll();
        inbox.page.route("**/approvals/" + id + "/reject", route -> {
            Map<String, String> headers = new HashMap<>(route.request().headers());
            headers.put("authorization", "Bearer expired.or.forged");
            route.resume(new Route.ResumeOptions().setHeaders(headers));
        });
        inbox.reject(id).click();
        assertThat(inbox.outcome(id)).hasText("Your sign-in has expired. Sign in again to continue.");
        assertThat(inbox.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
        assertThat(BrowserStack.stored(id).status()).isEqualTo("pending");

        Inbox carol = signedIn("carol");
        assertThat(carol.page.locator("#notice")).hasText("Your account may not see approvals: it is not in the "
                + "approvers group.");
        assertThat(carol.page.locator("li.approval")).hasCount(0);
        assertThat(carol.page.locator("body")).not().containsText("{");
    }

    @Test
    @Order(9)
    void theInboxPagesWithTheCursor_showingEveryPendingApprovalOnce() {
        List<UUID> seeded = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            seeded.add(BrowserStack.pending("paging-check", "{\"n\": " + i + "}", "agent-1", null));
        }
        List<UUID> pending = BrowserStack.pendingIds();
        Inbox inbox = signedIn("bob");

        assertThat(inbox.page.locator("li.approval")).hasCount(Math.min(25, pending.size()));
        assertThat(inbox.page.locator("#more")).isVisible();
        inbox.showAll();

        List<String> shown = ((List<?>) inbox.page.locator("li.approval").evaluateAll(
                "rows => rows.map(row => row.dataset.id)")).stream().map(String::valueOf).toList();
        assertThat(shown).doesNotHaveDuplicates()
                .containsExactlyElementsOf(pending.stream().map(UUID::toString).toList());
        assertThat(new HashSet<>(shown)).containsAll(seeded.stream().map(UUID::toString).toList());
        assertThat(inbox.page.locator("#more")).isHidden();
    }

    private static boolean isFocused(Locator locator) {
        return Boolean.TRUE.equals(locator.evaluate("element => element === document.activeElement"));
    }

    private static Map<String, String> without(Map<String, String> headers, String name) {
        Map<String, String> copy = new HashMap<>(headers);
        copy.remove(name);
        return copy;
    }
}
