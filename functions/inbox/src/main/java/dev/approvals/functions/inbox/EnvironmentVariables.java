package dev.approvals.functions.inbox;

/**
 * Every environment variable the inbox function reads: where the page signs people in (OAuth 2.0 authorization
 * code with PKCE). A template test finds these constants in the built zip and checks the template declares them.
 */
public final class EnvironmentVariables {

    /** The OIDC provider's authorization endpoint, e.g. Cognito's {@code https://<domain>/oauth2/authorize}. */
    public static final String SIGN_IN_AUTHORIZATION_ENDPOINT = "SIGN_IN_AUTHORIZATION_ENDPOINT";
    /** Its token endpoint, e.g. {@code https://<domain>/oauth2/token}; the page's only request to another origin. */
    public static final String SIGN_IN_TOKEN_ENDPOINT = "SIGN_IN_TOKEN_ENDPOINT";
    /** The public client (app client) id the page signs in with: the API's JWT audience. */
    public static final String SIGN_IN_CLIENT_ID = "SIGN_IN_CLIENT_ID";
    /**
     * The scopes the page asks for (space separated): {@code openid} and the API scopes an approver needs (the
     * template's ReadScope and DecideScope). Optional: empty means {@link SignInSettings#DEFAULT_SCOPES}.
     */
    public static final String SIGN_IN_SCOPES = "SIGN_IN_SCOPES";

    private EnvironmentVariables() {
    }
}
