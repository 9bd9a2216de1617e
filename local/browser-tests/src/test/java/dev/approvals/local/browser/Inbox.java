package dev.approvals.local.browser;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.AriaRole;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;

import static com.microsoft.playwright.assertions.PlaywrightAssertions.assertThat;

/** The inbox page as a person uses it, in one browser context (one person, one tab). */
final class Inbox {

    final BrowserContext context;
    final Page page;
    /** What the browser reported as errors: a refused request, a blocked script or style (CSP), a script error. */
    final List<String> errors = Collections.synchronizedList(new ArrayList<>());

    private Inbox(BrowserContext context) {
        this.context = context;
        this.page = context.newPage();
        page.onConsoleMessage(message -> {
            if (message.type().equals("error")) {
                errors.add(message.text());
            }
        });
        page.onPageError(errors::add);
    }

    /** A fresh browser profile (no cookies, storage or cache) signed in as {@code name} through the dev sign-in. */
    static Inbox signedIn(Browser browser, String name) {
        Inbox inbox = signedOut(browser);
        inbox.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in")).click();
        inbox.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in as " + name)).click();
        assertThat(inbox.page.locator("#who")).hasText("Signed in as " + name);
        inbox.waitUntilLoaded();
        return inbox;
    }

    /** A fresh browser profile at the inbox, not signed in. */
    static Inbox signedOut(Browser browser) {
        Inbox inbox = new Inbox(browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900)));
        inbox.page.navigate(BrowserStack.url());
        assertThat(inbox.page.getByRole(AriaRole.BUTTON, new Page.GetByRoleOptions().setName("Sign in"))).isVisible();
        return inbox;
    }

    void waitUntilLoaded() {
        assertThat(page.locator("#approvals")).hasAttribute("aria-busy", "false");
    }

    /** Pages through the whole inbox ("Show more" until there is no more). */
    Inbox showAll() {
        waitUntilLoaded();
        Locator more = page.locator("#more");
        while (more.isVisible()) {
            more.click();
            waitUntilLoaded();
        }
        return this;
    }

    /** Reloads the first page, then shows them all. */
    Inbox refresh() {
        page.locator("#refresh").click();
        return showAll();
    }

    Locator row(UUID id) {
        return page.locator("li.approval[data-id=\"" + id + "\"]");
    }

    Locator approve(UUID id) {
        return row(id).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Approve"));
    }

    Locator reject(UUID id) {
        return row(id).getByRole(AriaRole.BUTTON, new Locator.GetByRoleOptions().setName("Reject"));
    }

    Locator outcome(UUID id) {
        return row(id).locator(".outcome");
    }

    Locator state(UUID id) {
        return row(id).locator(".state");
    }

    void close() {
        context.close();
    }
}
