package dev.approvals.functions.inbox;

import com.fasterxml.jackson.jr.ob.JSON;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InboxHandlerTest {

    private static final Path REPOSITORY = Path.of("../..").toAbsolutePath().normalize();
    private static final SignInSettings COGNITO = new SignInSettings(
            "https://approvals-example.auth.us-east-1.amazoncognito.com/oauth2/authorize",
            "https://approvals-example.auth.us-east-1.amazoncognito.com/oauth2/token", "4v5k3j2h1g0f9e8d7c6b5a4z3y");

    private final InboxHandler handler = new InboxHandler(COGNITO);

    @Test
    void theSampleEvent_getsTheScript_withItsTypeETagAndSecurityHeaders() throws IOException {
        Map<String, Object> answer = invoke(sampleEvent());

        assertThat(answer).containsEntry("statusCode", 200).containsEntry("isBase64Encoded", false);
        assertThat(headers(answer)).containsEntry("Content-Type", "text/javascript; charset=utf-8")
                .containsEntry("Cache-Control", "no-cache")
                .containsEntry("X-Content-Type-Options", "nosniff")
                .containsEntry("X-Frame-Options", "DENY")
                .containsEntry("Referrer-Policy", "no-referrer")
                .containsKey("Strict-Transport-Security");
        assertThat(headers(answer).get("ETag")).matches("\"[0-9a-f]{24}\"");
        assertThat((String) answer.get("body")).isEqualTo(Files.readString(REPOSITORY.resolve("web/inbox.js")));
    }

    @Test
    void theContentSecurityPolicy_allowsOnlyThePagesOwnFiles_andTheTokenEndpoint() throws IOException {
        String csp = headers(invoke(sampleEvent())).get("Content-Security-Policy");

        assertThat(csp).isEqualTo("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; "
                + "connect-src 'self' https://approvals-example.auth.us-east-1.amazoncognito.com/oauth2/token; "
                + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
        assertThat(csp).doesNotContain("unsafe");
    }

    @Test
    void theRoot_getsThePage_whichLoadsOnlyFilesOfItsOwn_withNoInlineScriptOrStyle() throws IOException {
        Map<String, Object> event = pageEvent("/");

        Map<String, Object> answer = invoke(event);

        assertThat(answer).containsEntry("statusCode", 200);
        assertThat(headers(answer)).containsEntry("Content-Type", "text/html; charset=utf-8")
                .containsKey("Content-Security-Policy");
        String html = (String) answer.get("body");
        assertThat(html).contains("<script type=\"module\" src=\"inbox/inbox.js\"></script>");
        assertThat(html).doesNotContainPattern("<script(?![^>]*\\bsrc=)").doesNotContainPattern("<style")
                .doesNotContainPattern("\\sstyle=").doesNotContainPattern("\\son[a-z]+=")
                .doesNotContain("http://", "https://");
    }

    @Test
    void theRootWithoutItsTrailingSlash_isRedirected_soRelativeUrlsStayUnderTheStage() throws IOException {
        Map<String, Object> answer = invoke(pageEvent("/prod"));

        assertThat(answer).containsEntry("statusCode", 308);
        assertThat(headers(answer)).containsEntry("Location", "/prod/");
    }

    @Test
    void aFileTheBrowserAlreadyHas_is304_withoutABody() throws IOException {
        String etag = headers(invoke(sampleEvent())).get("ETag");
        Map<String, Object> event = sampleEvent();
        headersOf(event).put("if-none-match", etag);

        Map<String, Object> answer = invoke(event);

        assertThat(answer).containsEntry("statusCode", 304).containsEntry("body", "");
        assertThat(headers(answer)).containsEntry("ETag", etag).containsKey("Content-Security-Policy");
    }

    @Test
    void everyFileOfWeb_isServed_andNothingElse() throws IOException {
        try (Stream<Path> web = Files.list(REPOSITORY.resolve("web"))) {
            for (Path file : web.toList()) {
                String name = file.getFileName().toString();
                Map<String, Object> answer = invoke(fileEvent(name));
                if (name.equals("index.html")) {
                    assertThat(answer).as(name + " only at /").containsEntry("statusCode", 404);
                } else {
                    assertThat(answer).as(name).containsEntry("statusCode", 200).containsEntry("body",
                            Files.readString(file));
                }
            }
        }
        for (String name : new String[] {"../pom.xml", "..", "nothing.js", "", "INBOX.JS", "inbox.js/"}) {
            assertThat(invoke(fileEvent(name))).as(name).containsEntry("statusCode", 404)
                    .containsEntry("body", "Not found");
        }
    }

    @Test
    void configJson_tellsThePageWhereToSignIn() throws IOException {
        Map<String, Object> answer = invoke(fileEvent("config.json"));

        assertThat(headers(answer)).containsEntry("Content-Type", "application/json");
        assertThat(JSON.std.mapFrom(answer.get("body"))).isEqualTo(Map.of("signIn", Map.of(
                "authorizationEndpoint", COGNITO.authorizationEndpoint(), "tokenEndpoint", COGNITO.tokenEndpoint(),
                "clientId", COGNITO.clientId(), "scope", SignInSettings.DEFAULT_SCOPES)));
    }

    @Test
    void sameOriginEndpoints_addNothingToConnectSrc() throws IOException {
        InboxHandler local = new InboxHandler(new SignInSettings("/_local/sign-in/authorize",
                "/_local/sign-in/token", "approvals-local"));

        String csp = headers(local.answer(sampleEvent())).get("Content-Security-Policy");

        assertThat(csp).contains("; connect-src 'self'; ");
    }

    @Test
    void settingsThatCouldBreakOutOfThePolicy_areRefusedAtInit_namingTheVariable() {
        assertThatThrownBy(() -> SignInSettings.from(Map.of(
                "SIGN_IN_AUTHORIZATION_ENDPOINT", "https://id.example.com/authorize",
                "SIGN_IN_TOKEN_ENDPOINT", "https://id.example.com/token; script-src *",
                "SIGN_IN_CLIENT_ID", "client")))
                .hasMessageStartingWith("SIGN_IN_TOKEN_ENDPOINT is not valid");
        assertThatThrownBy(() -> SignInSettings.from(Map.of(
                "SIGN_IN_AUTHORIZATION_ENDPOINT", "http://id.example.com/authorize",
                "SIGN_IN_TOKEN_ENDPOINT", "https://id.example.com/token", "SIGN_IN_CLIENT_ID", "client")))
                .hasMessageStartingWith("SIGN_IN_AUTHORIZATION_ENDPOINT is not valid");
        assertThatThrownBy(() -> SignInSettings.from(Map.of(
                "SIGN_IN_AUTHORIZATION_ENDPOINT", "https://id.example.com/authorize",
                "SIGN_IN_TOKEN_ENDPOINT", "https://id.example.com/token")))
                .hasMessage("SIGN_IN_CLIENT_ID is not set");
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    private Map<String, Object> invoke(Map<String, Object> event) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new java.io.ByteArrayInputStream(JSON.std.asBytes(event)), out, null);
        return JSON.std.mapFrom(out.toByteArray());
    }

    private static Map<String, Object> sampleEvent() throws IOException {
        try (InputStream in = Files.newInputStream(REPOSITORY.resolve("events/inbox-file-http.json"))) {
            return JSON.std.mapFrom(in);
        }
    }

    private static Map<String, Object> fileEvent(String name) throws IOException {
        Map<String, Object> event = sampleEvent();
        event.put("rawPath", "/inbox/" + name);
        event.put("pathParameters", new HashMap<>(Map.of("file", name)));
        return event;
    }

    private static Map<String, Object> pageEvent(String rawPath) throws IOException {
        Map<String, Object> event = sampleEvent();
        event.put("routeKey", "GET /");
        event.put("rawPath", rawPath);
        event.remove("pathParameters");
        return event;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> headersOf(Map<String, Object> event) {
        return (Map<String, Object>) event.get("headers");
    }

    @SuppressWarnings("unchecked")
    private static Map<String, String> headers(Map<String, Object> answer) {
        return (Map<String, String>) answer.get("headers");
    }
}
