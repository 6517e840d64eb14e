// The server's JSON API (/api/v1/…). Every request goes through here: the
// session cookie rides along by itself, every change (POST, DELETE)
// carries the session's CSRF token, and every failure becomes an ApiError
// with the server's own one-line reason (and the form field it blames).
// URLs are relative to the page, so the dashboard also works under /of/.

let csrf = null;
let loggedOut = null;

export class ApiError extends Error {
  constructor(status, message, field, retryAfter) {
    super(message);
    this.status = status;
    this.field = field || null;
    this.retryAfter = retryAfter || null;
  }
}

// The session as /api/v1/login or /api/v1/session returned it (null: none).
export function setSession(s) {
  csrf = s && s.csrf ? s.csrf : null;
}

// Called when a request finds the session gone (401).
export function onLoggedOut(fn) {
  loggedOut = fn;
}

export function apiUrl(path, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  return 'api/v1/' + path + (s ? '?' + s : '');
}

async function request(method, path, params, body) {
  const headers = {Accept: 'application/json'};
  const init = {method, headers, credentials: 'same-origin', cache: 'no-store'};
  if (method !== 'GET' && csrf) headers['X-CSRF-Token'] = csrf;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let res;
  try {
    res = await fetch(apiUrl(path, params), init);
  } catch (e) {
    throw new ApiError(0, 'cannot reach the server (' + (e && e.message ? e.message : e) + ')');
  }
  const text = res.status === 204 ? '' : await res.text();
  let data = null;
  if ((res.headers.get('Content-Type') || '').includes('json') && text) {
    try {
      data = JSON.parse(text);
    } catch (e) {
      data = null;
    }
  }
  if (!res.ok) {
    const reason = data && typeof data.error === 'string' ? data.error
      : text.trim().split('\n')[0] || res.statusText || 'HTTP ' + res.status;
    const err = new ApiError(res.status, reason, data && data.field, res.headers.get('Retry-After'));
    if (res.status === 401 && path !== 'login' && path !== 'session' && loggedOut) loggedOut(err);
    throw err;
  }
  return data !== null ? data : text;
}

export const api = {
  get: (path, params) => request('GET', path, params),
  post: (path, body) => request('POST', path, undefined, body === undefined ? {} : body),
  del: (path, params) => request('DELETE', path, params),
};

// A message for any error a page catches: the server's reason as it is,
// with what was being done in front.
export function describe(what, e) {
  if (e instanceof ApiError) {
    if (e.status === 0) return what + ': ' + e.message;
    return what + ': ' + e.message + (e.status >= 500 ? ' (server error ' + e.status + ')' : '');
  }
  return what + ': ' + (e && e.message ? e.message : String(e));
}
