// The login form. The server's refusal (wrong password, too many tries)
// is shown as it says it.
import {api, describe} from '../api.js';
import {el} from '../dom.js';

export function render(main, {message, onDone}) {
  const user = el('input', {type: 'text', id: 'login-user', name: 'user', autocomplete: 'username',
    required: true, autocapitalize: 'none', spellcheck: 'false', maxlength: 64});
  const pass = el('input', {type: 'password', id: 'login-password', name: 'password',
    autocomplete: 'current-password', required: true, maxlength: 1024});
  const error = el('p', {class: 'form-error', id: 'login-error', role: 'alert', hidden: true});
  const info = el('p', {class: 'muted', id: 'login-info', text: message || '', hidden: !message});
  const button = el('button', {type: 'submit', class: 'btn primary', text: 'Log in'});
  const form = el('form', {class: 'panel', id: 'login-form', novalidate: true},
    el('div', {}, el('label', {for: 'login-user', text: 'User name'}), user),
    el('div', {}, el('label', {for: 'login-password', text: 'Password'}), pass),
    button, error);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    error.hidden = true;
    if (!user.value || !pass.value) {
      error.textContent = 'Enter your user name and password.';
      error.hidden = false;
      return;
    }
    button.disabled = true;
    try {
      const s = await api.post('login', {user: user.value, password: pass.value});
      onDone(s);
    } catch (e) {
      error.textContent = e.status === 401 || e.status === 429 ? e.message : describe('Cannot log in', e);
      error.hidden = false;
      pass.value = '';
      pass.focus();
    } finally {
      button.disabled = false;
    }
  });
  main.append(el('div', {class: 'login'},
    el('h1', {}, el('img', {src: 'ui/favicon.svg', alt: ''}), 'OphanimFlow'),
    el('p', {class: 'muted', text: 'Traffic accounting for your networks.'}),
    info, form));
  user.focus();
}
