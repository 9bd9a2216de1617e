// Sign-in: OAuth 2.0 authorization code with PKCE (RFC 7636) against the configured OIDC provider: Amazon Cognito
// on AWS, the local stack's dev sign-in locally. The access token is kept in sessionStorage (this tab only, gone
// when it closes) and never in a cookie or localStorage; no refresh token is kept (docs/deploy.md says why).

const SESSION = 'approvals.session';
const PENDING = 'approvals.sign-in';

/** The page's address without query or fragment: where the provider sends the person back. */
export function redirectUri() {
  return location.origin + location.pathname;
}

/** The signed-in person ({token, name, expiresAt}), or null when there is none or it has expired. */
export function currentSession() {
  const session = readJson(SESSION);
  if (!session || typeof session.token !== 'string' || !(session.expiresAt > Date.now())) {
    sessionStorage.removeItem(SESSION);
    return null;
  }
  return session;
}

export function signOut() {
  sessionStorage.removeItem(SESSION);
}

/** Sends the person to the provider's sign-in page. */
export async function beginSignIn(config) {
  const verifier = randomText(32);
  const state = randomText(16);
  const challenge = base64Url(new Uint8Array(
    await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier))));
  sessionStorage.setItem(PENDING, JSON.stringify({ verifier, state }));
  const url = new URL(config.authorizationEndpoint, location.href);
  url.search = new URLSearchParams({
    response_type: 'code',
    client_id: config.clientId,
    redirect_uri: redirectUri(),
    scope: config.scope,
    state,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  }).toString();
  location.assign(url.toString());
}

/**
 * When the provider has sent the person back (?code=...&state=...), exchanges the code for a token.
 * Returns true when it signed the person in; throws an Error with a sentence for the person when it failed.
 */
export async function completeSignIn(config) {
  const params = new URLSearchParams(location.search);
  if (!params.has('code') && !params.has('error')) {
    return false;
  }
  history.replaceState(null, '', redirectUri()); // the code is single-use: keep it out of the history
  const pending = readJson(PENDING);
  sessionStorage.removeItem(PENDING);
  if (params.has('error')) {
    throw new Error('Sign-in did not complete. Try again.');
  }
  if (!pending || params.get('state') !== pending.state) {
    throw new Error('That sign-in link was not started from this tab. Sign in again.');
  }
  const response = await fetch(new URL(config.tokenEndpoint, location.href), {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code: params.get('code'),
      redirect_uri: redirectUri(),
      client_id: config.clientId,
      code_verifier: pending.verifier,
    }),
  });
  const tokens = response.ok ? await response.json() : null;
  if (!tokens || typeof tokens.access_token !== 'string') {
    throw new Error('Sign-in did not complete. Try again.');
  }
  const claims = decodeClaims(tokens.access_token);
  sessionStorage.setItem(SESSION, JSON.stringify({
    token: tokens.access_token,
    name: String(claims.username || claims.email || claims.sub || 'you'),
    expiresAt: Date.now() + 1000 * (Number(tokens.expires_in) || 3600),
  }));
  return true;
}

/** The token's claims, for showing who is signed in only: the API verifies the token, the page never trusts it. */
function decodeClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), c => c.charCodeAt(0))));
  } catch {
    return {};
  }
}

function readJson(key) {
  try {
    return JSON.parse(sessionStorage.getItem(key));
  } catch {
    return null;
  }
}

function randomText(bytes) {
  return base64Url(crypto.getRandomValues(new Uint8Array(bytes)));
}

function base64Url(bytes) {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
