// The dashboard's frame: who is logged in, the top bar, and which page
// the location's hash names ("#/host?ip=10.0.0.1&period=day"). Pages live
// in pages/*.js; each exports render(main, params, ctx) and may export
// update(params) for a change of parameters on the same page, and return
// a function that stops its timers when the page is left.
import {api, setSession, onLoggedOut, describe} from './api.js';
import {el, setChildren, state} from './dom.js';
import * as login from './pages/login.js';
import * as dashboard from './pages/dashboard.js';
import * as host from './pages/host.js';
import * as top from './pages/top.js';
import * as settings from './pages/settings.js';
import * as users from './pages/users.js';

const PAGES = {'': dashboard, host, top, settings, users};

const main = document.getElementById('main');
const topbar = document.getElementById('topbar');
const footer = document.getElementById('footer');

let session = null;
let current = null; // {name, module, stop}
let generation = 0;

export function parseHash() {
  const h = location.hash.replace(/^#\/?/, '');
  const i = h.indexOf('?');
  const name = i < 0 ? h : h.slice(0, i);
  const params = new URLSearchParams(i < 0 ? '' : h.slice(i + 1));
  return {name: name.replace(/\/+$/, ''), params};
}

// Moves to a page; params is an object (empty values left out).
export function go(name, params) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') q.set(k, String(v));
  }
  const s = q.toString();
  const hash = '#/' + name + (s ? '?' + s : '');
  if (location.hash === hash) render();
  else location.hash = hash;
}

function stopCurrent() {
  if (current && typeof current.stop === 'function') current.stop();
  current = null;
}

function markNav(name) {
  for (const a of document.querySelectorAll('#nav a')) {
    const page = a.dataset.page === 'dashboard' ? '' : a.dataset.page;
    if (page === name) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
}

function render() {
  if (!session) return;
  const {name, params} = parseHash();
  const module = PAGES[name];
  if (!module) {
    stopCurrent();
    markNav(null);
    setChildren(main, state('There is no page "' + name + '".', 'error'),
      el('p', {class: 'state'}, el('a', {href: '#/', text: 'To the dashboard'})));
    return;
  }
  if (current && current.module === module && typeof module.update === 'function') {
    module.update(params);
    return;
  }
  stopCurrent();
  markNav(name);
  const gen = ++generation;
  const ctx = {
    user: session.user,
    alive: () => gen === generation && session !== null,
    go,
  };
  document.title = (module.title || 'OphanimFlow') + ' · OphanimFlow';
  main.replaceChildren();
  const stop = module.render(main, params, ctx);
  current = {name, module, stop};
  window.scrollTo(0, 0);
}

function loggedIn(s) {
  session = {user: s.user, csrf: s.csrf};
  setSession(session);
  document.getElementById('who').textContent = s.user;
  topbar.hidden = false;
  footer.hidden = false;
  render();
}

function showLogin(message) {
  stopCurrent();
  generation++;
  session = null;
  setSession(null);
  topbar.hidden = true;
  footer.hidden = true;
  document.title = 'Log in · OphanimFlow';
  main.replaceChildren();
  login.render(main, {message, onDone: loggedIn});
}

async function logout() {
  try {
    await api.post('logout');
  } catch (e) {
    // The session is gone either way once we forget it here; say why
    // the server did not agree, on the login form.
    showLogin(e.status === 401 ? null : describe('Logging out', e));
    return;
  }
  showLogin('You have logged out.');
}

async function boot() {
  onLoggedOut(() => showLogin('Your session has ended: log in again.'));
  document.getElementById('logout').addEventListener('click', logout);
  window.addEventListener('hashchange', render);
  try {
    loggedIn(await api.get('session'));
  } catch (e) {
    if (e.status === 401) showLogin();
    else setChildren(main, state(describe('Cannot load the dashboard', e), 'error'));
  }
}

boot();
