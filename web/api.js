// The approvals API, seen from the page: requests on the page's own origin (no CORS) and every answer turned
// into what a person needs: a sentence, never the raw problem JSON. The contract is docs/api.md.

/** An answer of the API, read once. */
export class Answer {
  constructor(status, body, headers) {
    this.status = status;
    this.body = body; // parsed JSON, or null
    this.retryAfter = Number.parseInt(headers.get('Retry-After'), 10) || 0;
    this.date = Date.parse(headers.get('Date')) || 0;
  }

  get ok() {
    return this.status >= 200 && this.status < 300;
  }

  /** A refusal's problem type (RFC 9457 `type`, last part), or ''. */
  get problem() {
    const type = this.body && typeof this.body.type === 'string' ? this.body.type : '';
    return type.slice(type.lastIndexOf(':') + 1);
  }
}

/** The failure of a request that got no answer at all (network down, server gone). */
export const NO_ANSWER = 0;

export class Api {
  /** @param tokenOf () => the bearer token, or null */
  constructor(tokenOf) {
    this.tokenOf = tokenOf;
  }

  pending(cursor, limit = 25) {
    const query = new URLSearchParams({ status: 'pending', limit: String(limit) });
    if (cursor) {
      query.set('cursor', cursor);
    }
    return this.send('GET', `approvals?${query}`);
  }

  read(id) {
    return this.send('GET', `approvals/${encodeURIComponent(id)}`);
  }

  /**
   * Approves or rejects the version the person saw. The same idempotency key must be sent again when the same
   * click is retried, so that a retry can never decide twice.
   */
  decide(id, decision, version, key, reason) {
    const body = reason ? { reason } : {};
    return this.send('POST', `approvals/${encodeURIComponent(id)}/${decision}`, {
      'If-Match': `"${version}"`,
      'Idempotency-Key': key,
      'Content-Type': 'application/json',
    }, JSON.stringify(body));
  }

  async send(method, path, headers = {}, body = undefined) {
    const token = this.tokenOf();
    const all = { Accept: 'application/json', ...headers };
    if (token) {
      all.Authorization = `Bearer ${token}`;
    }
    let response;
    try {
      response = await fetch(new URL(path, document.baseURI), { method, headers: all, body, cache: 'no-store' });
    } catch {
      return new Answer(NO_ANSWER, null, new Headers());
    }
    let json = null;
    try {
      json = parseExactly(await response.text());
    } catch {
      // not JSON (or empty): the status says enough
    }
    return new Answer(response.status, json, response.headers);
  }
}

/**
 * JSON.parse keeping a number's exact text where a double would change it (an amount of 12345678901234567.89, a
 * 1e400 that would become Infinity, then null): the approver sees what was proposed. It uses the source text that
 * JSON.parse gives a reviver and JSON.rawJSON to write it back; a browser without them shows the double, as before.
 */
function parseExactly(text) {
  return JSON.parse(text, (key, value, context) =>
    typeof value === 'number' && typeof JSON.rawJSON === 'function' && context && typeof context.source === 'string'
      && context.source !== String(value) ? JSON.rawJSON(context.source) : value);
}

const when = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A timestamp of the API as the person reads it, in their time zone. */
export function formatTime(iso) {
  const time = Date.parse(iso);
  return Number.isNaN(time) ? 'an unknown time' : when.format(time);
}

/** What a failed answer means to the person, as one or two plain sentences. */
export function sentence(answer, doing) {
  const body = answer.body || {};
  switch (answer.status) {
    case NO_ANSWER:
      return 'The inbox could not reach the server. Check your connection and try again.';
    case 401:
      return 'Your sign-in has expired. Sign in again to continue.';
    case 403:
      return `Your account may not ${doing}: it is not in the approvers group.`;
    case 404:
      return 'This approval no longer exists.';
    case 409:
      return conflictSentence(answer.problem, body);
    case 413:
      return 'The reason is too long. Shorten it and try again.';
    case 422:
      return `This click was already used to decide this approval the other way (it is ${body.currentStatus || 'decided'}). `
        + 'Nothing more was changed; refresh the inbox.';
    case 428:
      return 'The inbox could not tell which version you saw. Refresh the inbox and decide again.';
    case 503:
      return `The service is busy (its database may be waking up). Try again in ${answer.retryAfter || 5} seconds: `
        + 'your click counts only once.';
    default:
      if (answer.status >= 400 && answer.status < 500 && typeof body.detail === 'string') {
        return `This was refused: ${body.detail}`;
      }
      return 'Something went wrong on our side. Try again in a moment'
        + (body.requestId ? ` (request id ${body.requestId}).` : '.');
  }
}

function conflictSentence(problem, body) {
  switch (problem) {
    case 'already-decided':
      return `Already ${body.currentStatus} by ${body.decidedBy} at ${formatTime(body.decidedAt)}.`;
    case 'expired':
      return `Too late: this approval expired at ${formatTime(body.expiresAt)}.`;
    case 'version-conflict':
      return `Someone changed this approval (it is now at version ${body.currentVersion}). `
        + 'It has been reloaded: look again, then decide.';
    default:
      return 'Someone else changed this approval. It has been reloaded.';
  }
}
