// Passkeys (WebAuthn): adding one on the account page, signing in with one on the sign-in page.
// A progressive enhancement: the passkey controls stay hidden unless this browser has WebAuthn
// (a secure context and window.PublicKeyCredential), and every page works without this file.
// Messages come localized from the page (data-error-* attributes) or from the server's problem
// details (`detail`, or the first field error).

const supported = typeof window.PublicKeyCredential === 'function' && typeof navigator.credentials?.get === 'function';

function fromBase64Url(value) {
  const base64 = value.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function toBase64Url(buffer) {
  let binary = '';
  for (const byte of new Uint8Array(buffer)) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** The server's options (JSON, base64url) as navigator.credentials.create() takes them. */
function creationOptions(json) {
  return {
    ...json,
    challenge: fromBase64Url(json.challenge),
    user: { ...json.user, id: fromBase64Url(json.user.id) },
    excludeCredentials: (json.excludeCredentials ?? []).map((c) => ({ ...c, id: fromBase64Url(c.id) })),
  };
}

/** The server's options as navigator.credentials.get() takes them. */
function requestOptions(json) {
  return {
    ...json,
    challenge: fromBase64Url(json.challenge),
    allowCredentials: (json.allowCredentials ?? []).map((c) => ({ ...c, id: fromBase64Url(c.id) })),
  };
}

function credentialJson(credential, response) {
  const id = toBase64Url(credential.rawId);
  return {
    id,
    rawId: id,
    type: credential.type,
    response,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
    ...(credential.authenticatorAttachment ? { authenticatorAttachment: credential.authenticatorAttachment } : {}),
  };
}

function registrationJson(credential) {
  const r = credential.response;
  return credentialJson(credential, {
    clientDataJSON: toBase64Url(r.clientDataJSON),
    attestationObject: toBase64Url(r.attestationObject),
    transports: typeof r.getTransports === 'function' ? r.getTransports() : [],
  });
}

function assertionJson(credential) {
  const r = credential.response;
  return credentialJson(credential, {
    clientDataJSON: toBase64Url(r.clientDataJSON),
    authenticatorData: toBase64Url(r.authenticatorData),
    signature: toBase64Url(r.signature),
    ...(r.userHandle && r.userHandle.byteLength > 0 ? { userHandle: toBase64Url(r.userHandle) } : {}),
  });
}

/** A refusal from the server, carrying its localized explanation. */
class ServerProblem extends Error {}
/** The page is being left or reloaded: nothing to show. */
class Leaving extends Error {}

async function post(url, csrf, body) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(body ?? {}),
    credentials: 'same-origin',
    redirect: 'manual',
  });
  if (res.type === 'opaqueredirect') {
    // The session ended meanwhile: reloading lets the server send the visitor to sign in.
    window.location.reload();
    throw new Leaving();
  }
  let json = null;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  if (!res.ok) throw new ServerProblem(json?.errors?.[0]?.message || json?.detail || '');
  return json;
}

function explain(error, messages) {
  if (error instanceof ServerProblem && error.message) return error.message;
  if (error?.name === 'NotAllowedError' || error?.name === 'AbortError') return messages.errorCancelled;
  if (error?.name === 'InvalidStateError' && messages.errorExists) return messages.errorExists;
  return messages.errorFailed;
}

/** Runs one ceremony from a button: busy while it runs, its error shown in the box beside it. */
function ceremony(button, errorBox, run) {
  const show = (text) => {
    errorBox.textContent = text ?? '';
    errorBox.hidden = !text;
  };
  button.addEventListener('click', async () => {
    if (button.disabled) return;
    show('');
    button.disabled = true;
    button.setAttribute('aria-busy', 'true');
    try {
      await run(show);
    } catch (error) {
      if (!(error instanceof Leaving)) show(explain(error, button.dataset));
    } finally {
      button.disabled = false;
      button.removeAttribute('aria-busy');
    }
  });
}

function setUpRegistration() {
  const button = document.querySelector('[data-passkey-add]');
  const box = document.querySelector('[data-passkey-register]');
  const input = document.getElementById('passkey-name');
  const errorBox = box?.querySelector('[data-passkey-error]');
  if (!button || !box || !input || !errorBox) return;
  box.hidden = false;
  document.querySelector('[data-passkey-unsupported]')?.setAttribute('hidden', '');
  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      button.click();
    }
  });
  ceremony(button, errorBox, async (show) => {
    const name = input.value.trim();
    if (!name) {
      show(button.dataset.errorName);
      input.focus();
      return;
    }
    const csrf = button.dataset.csrf;
    const options = await post('/account/passkeys/options', csrf);
    const credential = await navigator.credentials.create({ publicKey: creationOptions(options) });
    if (!credential) throw new Error('no credential');
    await post('/account/passkeys', csrf, { name, response: registrationJson(credential) });
    window.location.assign('/account?done=passkey-added#passkeys');
    throw new Leaving();
  });
}

function setUpSignIn() {
  const button = document.querySelector('[data-passkey-sign-in]');
  const box = document.getElementById('passkey-sign-in');
  const errorBox = box?.querySelector('[data-passkey-error]');
  if (!button || !box || !errorBox) return;
  box.hidden = false;
  ceremony(button, errorBox, async () => {
    const csrf = button.dataset.csrf;
    const next = button.dataset.next;
    const options = await post('/sign-in/passkey/options', csrf);
    const credential = await navigator.credentials.get({ publicKey: requestOptions(options) });
    if (!credential) throw new Error('no credential');
    const done = await post('/sign-in/passkey', csrf, { response: assertionJson(credential), ...(next ? { next } : {}) });
    window.location.assign(done.redirect);
    throw new Leaving();
  });
}

if (supported) {
  setUpRegistration();
  setUpSignIn();
}
