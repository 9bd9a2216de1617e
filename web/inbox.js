// The approver inbox: pending approvals, oldest first, a page at a time; approve or reject each one. Everything an
// agent wrote (action type, payload, requester) is set as text, never parsed as HTML.
import { Api, formatTime, sentence } from './api.js';
import { beginSignIn, completeSignIn, currentSession, signOut } from './sign-in.js';

const $ = id => document.getElementById(id);
const api = new Api(() => currentSession()?.token ?? null);
const rows = new Map(); // approval id -> Row
let nextCursor = null;
let clockSkew = 0; // server clock minus this browser's, from the answers' Date header

class Row {
  constructor(approval) {
    this.element = $('approval').content.firstElementChild.cloneNode(true);
    this.retry = null; // {decision, key} of a click whose answer was lost or said "try again"
    this.busy = false;
    const form = this.part('.decide');
    form.addEventListener('submit', event => {
      event.preventDefault();
      this.decide(event.submitter?.value === 'reject' ? 'reject' : 'approve');
    });
    const heading = this.part('.action');
    heading.id = `action-${approval.id}`;
    form.querySelectorAll('button').forEach(button => button.setAttribute('aria-describedby', heading.id));
    this.part('.payload').setAttribute('aria-label', 'Payload');
    this.show(approval);
  }

  part(selector) {
    return this.element.querySelector(selector);
  }

  show(approval) {
    this.approval = approval;
    this.element.dataset.id = approval.id;
    this.part('.action').textContent = approval.actionType;
    this.part('.requested-by').textContent = approval.requestedBy;
    const requestedAt = this.part('.requested-at');
    requestedAt.dateTime = approval.requestedAt;
    requestedAt.textContent = formatTime(approval.requestedAt);
    this.part('.version').textContent = String(approval.version);
    this.part('.payload').textContent = JSON.stringify(approval.actionPayload, null, 2);
    this.tick(Date.now() + clockSkew);
  }

  get decided() {
    return this.approval.status !== 'pending';
  }

  get expired() {
    const deadline = Date.parse(this.approval.expiresAt);
    return this.approval.status === 'expired' || this.approval.expired === true
      || (this.approval.status === 'pending' && deadline <= Date.now() + clockSkew);
  }

  /** Updates the countdown and what can still be done. */
  tick(now) {
    const expires = this.part('.expires');
    const deadline = Date.parse(this.approval.expiresAt);
    if (Number.isNaN(deadline)) {
      expires.textContent = 'never';
    } else if (deadline > now && !this.decided) {
      expires.textContent = `in ${countdown(deadline - now)}`;
    } else {
      expires.textContent = formatTime(this.approval.expiresAt);
    }
    const state = this.decided
      ? (this.approval.status === 'expired' ? 'Expired'
        : `${capitalised(this.approval.status)} by ${this.approval.decidedBy}`)
      : (this.expired ? 'Expired' : 'Pending');
    this.part('.state').textContent = state;
    this.element.classList.toggle('closed', this.decided || this.expired);
    const open = !this.decided && !this.expired && !this.busy;
    this.element.querySelectorAll('button, textarea').forEach(control => { control.disabled = !open; });
  }

  say(text) {
    this.part('.outcome').textContent = text;
  }

  /** Where the keyboard goes once the answer is in: the buttons it was on may be disabled now. */
  focusOutcome() {
    if (this.element.contains(document.activeElement)) {
      this.part('.outcome').focus();
    }
  }

  async decide(decision) {
    if (this.busy || this.decided || this.expired) {
      return; // a second click while the first is in flight decides nothing
    }
    // One key per click; a retry of the same click after a lost answer or a 503 sends the same key again.
    const key = this.retry?.decision === decision ? this.retry.key : crypto.randomUUID();
    this.retry = { decision, key };
    this.busy = true;
    this.tick(Date.now() + clockSkew);
    this.say(decision === 'approve' ? 'Approving…' : 'Rejecting…');
    const reason = this.part('textarea').value.trim();
    const answer = await api.decide(this.approval.id, decision, this.approval.version, key, reason);
    this.busy = false;
    this.focusOutcome();
    if (answer.ok) {
      this.retry = null;
      this.show(answer.body);
      this.say(decision === 'approve' ? 'Approved.' : 'Rejected.');
      return;
    }
    if (answer.status === 503 || answer.status === 0) {
      this.say(sentence(answer, 'decide approvals'));
      this.hold(answer.retryAfter);
      return;
    }
    this.retry = null;
    this.say(sentence(answer, 'decide approvals'));
    if (answer.status === 401) {
      signedOut();
    } else if (answer.status === 409 || answer.status === 422) {
      await this.reload();
    } else {
      this.tick(Date.now() + clockSkew);
    }
  }

  /** Keeps the buttons disabled for the Retry-After the server asked for. */
  hold(seconds) {
    this.busy = true;
    this.tick(Date.now() + clockSkew);
    setTimeout(() => {
      this.busy = false;
      this.tick(Date.now() + clockSkew);
    }, 1000 * Math.min(Math.max(seconds, 1), 30));
  }

  /** Shows the approval as it is now (after someone else changed it). */
  async reload() {
    const answer = await api.read(this.approval.id);
    if (answer.ok) {
      this.show(answer.body);
    } else {
      this.tick(Date.now() + clockSkew);
    }
  }
}

function capitalised(text) {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function countdown(millis) {
  const seconds = Math.ceil(millis / 1000);
  const days = Math.floor(seconds / 86400);
  const hours = Math.floor((seconds % 86400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  if (days > 0) {
    return `${days} d ${hours} h`;
  }
  if (hours > 0) {
    return `${hours} h ${minutes} min`;
  }
  return minutes > 0 ? `${minutes} min ${rest} s` : `${rest} s`;
}

function notice(text) {
  $('notice').textContent = text;
}

async function loadPage(cursor) {
  const list = $('approvals');
  list.setAttribute('aria-busy', 'true');
  $('more').disabled = true;
  const answer = await api.pending(cursor);
  if (answer.date) {
    clockSkew = answer.date - Date.now();
  }
  if (!answer.ok) {
    notice(sentence(answer, 'see approvals'));
    if (answer.status === 401) {
      signedOut();
    }
    list.setAttribute('aria-busy', 'false');
    $('more').disabled = false;
    return;
  }
  notice('');
  for (const approval of answer.body.items) {
    if (!rows.has(approval.id)) {
      const row = new Row(approval);
      rows.set(approval.id, row);
      list.append(row.element);
    }
  }
  nextCursor = answer.body.nextCursor ?? null;
  $('more').hidden = !nextCursor;
  $('more').disabled = false;
  $('empty').hidden = rows.size > 0;
  list.setAttribute('aria-busy', 'false');
  performance.mark('inbox-ready');
}

function refresh() {
  rows.clear();
  $('approvals').replaceChildren();
  nextCursor = null;
  return loadPage(null);
}

function signedIn(session) {
  $('who').textContent = `Signed in as ${session.name}`;
  $('sign-in').hidden = true;
  $('sign-out').hidden = false;
  $('inbox').hidden = false;
}

function signedOut() {
  signOut();
  $('who').textContent = '';
  $('sign-in').hidden = false;
  $('sign-out').hidden = true;
}

async function start() {
  const config = await (await fetch('inbox/config.json', { cache: 'no-cache' })).json();
  $('sign-in').addEventListener('click', () => beginSignIn(config.signIn));
  $('sign-out').addEventListener('click', () => {
    signedOut();
    $('inbox').hidden = true;
    notice('You are signed out.');
  });
  $('refresh').addEventListener('click', refresh);
  $('more').addEventListener('click', () => loadPage(nextCursor));
  try {
    await completeSignIn(config.signIn);
  } catch (error) {
    notice(error.message);
  }
  const session = currentSession();
  if (!session) {
    signedOut();
    if (!$('notice').textContent) {
      notice('Sign in to see the approvals waiting for a decision.');
    }
    $('sign-in').focus();
    return;
  }
  signedIn(session);
  setInterval(() => rows.forEach(row => row.tick(Date.now() + clockSkew)), 1000);
  await loadPage(null);
}

start().catch(() => notice('The inbox could not start. Reload the page.'));
