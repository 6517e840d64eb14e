// Users (every user is an administrator) and API tokens. A new token is
// shown once, right after it is made: the server keeps only its hash.
import {api, describe} from '../api.js';
import {el, setChildren, loading, state, panel, confirmButton} from '../dom.js';
import {field, clearErrors, showError, formError} from './forms.js';
import * as fmt from '../format.js';

export const title = 'Users';

function passwordForm(name, onDone) {
  const fields = {password: field('pw-' + name, 'New password for ' + name,
    {type: 'password', autocomplete: 'new-password', minlength: 8, maxlength: 1024})};
  const ferr = formError('pw-error-' + name);
  const form = el('form', {class: 'form-row', novalidate: true, dataset: {user: name}},
    fields.password.box,
    el('div', {class: 'form-actions'}, el('button', {type: 'submit', class: 'btn primary', text: 'Set password'}),
      ' ', el('button', {type: 'button', class: 'btn', text: 'Cancel', on: {click: () => onDone(null)}})),
    ferr);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(fields, ferr);
    try {
      await api.post('users/password', {name, password: fields.password.input.value});
      onDone('The password of ' + name + ' is changed; their other sessions are ended.');
    } catch (e) {
      showError(fields, ferr, e, 'Cannot set the password');
    }
  });
  setTimeout(() => fields.password.input.focus(), 0);
  return form;
}

function usersPanel(ctx) {
  const list = el('div', {}, loading());
  const result = el('p', {class: 'form-ok', id: 'users-result', role: 'status', hidden: true});
  const report = (msg, bad) => {
    result.textContent = msg;
    result.className = bad ? 'form-error' : 'form-ok';
    result.hidden = !msg;
  };
  const reload = async () => {
    try {
      const d = await api.get('users');
      if (!ctx.alive()) return;
      const users = d.users || [];
      const rows = [];
      for (const u of users) {
        const me = u.name === ctx.user;
        const editRow = el('tr', {hidden: true}, el('td', {colspan: '3'}));
        const openEdit = () => {
          editRow.hidden = false;
          setChildren(editRow.firstChild, passwordForm(u.name, (msg) => {
            editRow.hidden = true;
            editRow.firstChild.replaceChildren();
            if (msg) report(msg, false);
          }));
        };
        rows.push(el('tr', {dataset: {user: u.name}},
          el('td', {}, el('span', {text: u.name}), me ? el('span', {class: 'badge ui', text: 'you'}) : null),
          el('td', {class: 'hide-phone', text: fmt.dateTime(u.created)}),
          el('td', {class: 'actions'},
            el('button', {type: 'button', class: 'btn small', text: 'Change password', on: {click: openEdit}}),
            me ? null : confirmButton('Delete', 'Delete ' + u.name + '?', async () => {
              try {
                await api.del('users', {name: u.name});
                report('Deleted user ' + u.name + '.', false);
                await reload();
              } catch (e) {
                report(describe('Cannot delete ' + u.name, e), true);
              }
            }))), editRow);
      }
      setChildren(list, el('div', {class: 'table-wrap'}, el('table', {id: 'users'},
        el('thead', {}, el('tr', {}, el('th', {text: 'Name'}), el('th', {class: 'hide-phone', text: 'Created'}), el('th'))),
        el('tbody', {}, rows))));
    } catch (e) {
      if (ctx.alive()) setChildren(list, state(describe('Cannot load the users', e), 'error'));
    }
  };
  const fields = {
    name: field('user-name', 'Name', {autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', maxlength: 64}, true),
    password: field('user-password', 'Password (8 characters or more)', {type: 'password', autocomplete: 'new-password', maxlength: 1024}),
  };
  const ferr = formError('user-form-error');
  const form = el('form', {id: 'user-form', novalidate: true},
    el('div', {class: 'form-row'}, fields.name.box, fields.password.box,
      el('div', {class: 'form-actions'}, el('button', {type: 'submit', class: 'btn primary', text: 'Add user'}))),
    ferr);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(fields, ferr);
    report('', false);
    try {
      const u = await api.post('users', {name: fields.name.input.value.trim(), password: fields.password.input.value});
      fields.name.input.value = '';
      fields.password.input.value = '';
      report('Added user ' + u.name + '.', false);
      await reload();
    } catch (e) {
      showError(fields, ferr, e, 'Cannot add the user');
    }
  });
  reload();
  const p = panel('Users', el('span', {class: 'sub', text: 'Every user may do everything.'}),
    list, result, el('h3', {class: 'spaced', text: 'Add a user'}), form);
  p.id = 'users-panel';
  return p;
}

function tokensPanel(ctx) {
  const list = el('div', {}, loading());
  const shown = el('div', {id: 'token-new', hidden: true});
  const result = el('p', {class: 'form-ok', role: 'status', hidden: true});
  const reload = async () => {
    try {
      const d = await api.get('tokens');
      if (!ctx.alive()) return;
      const tokens = d.tokens || [];
      if (!tokens.length) {
        setChildren(list, state('No API tokens.'));
        return;
      }
      setChildren(list, el('div', {class: 'table-wrap'}, el('table', {id: 'tokens'},
        el('thead', {}, el('tr', {}, el('th', {text: 'Name'}), el('th', {class: 'hide-phone', text: 'Created'}),
          el('th', {text: 'Last used'}), el('th'))),
        el('tbody', {}, tokens.map((t) => el('tr', {dataset: {id: String(t.id)}},
          el('td', {text: t.name}),
          el('td', {class: 'hide-phone', text: fmt.dateTime(t.created)}),
          el('td', {title: t.last_used ? fmt.dateTime(t.last_used) : '', text: t.last_used ? fmt.ago(t.last_used) : 'never'}),
          el('td', {class: 'actions'}, confirmButton('Revoke', 'Revoke ' + t.name + '?', async () => {
            try {
              await api.del('tokens', {id: t.id});
              shown.hidden = true;
              result.className = 'form-ok';
              result.textContent = 'Revoked the token ' + t.name + '.';
              result.hidden = false;
              await reload();
            } catch (e) {
              result.className = 'form-error';
              result.textContent = describe('Cannot revoke ' + t.name, e);
              result.hidden = false;
            }
          }))))))));
    } catch (e) {
      if (ctx.alive()) setChildren(list, state(describe('Cannot load the tokens', e), 'error'));
    }
  };
  const fields = {name: field('token-name', 'Name', {placeholder: 'billing', autocomplete: 'off', maxlength: 64})};
  const ferr = formError('token-form-error');
  const form = el('form', {id: 'token-form', novalidate: true},
    el('div', {class: 'form-row'}, fields.name.box,
      el('div', {class: 'form-actions'}, el('button', {type: 'submit', class: 'btn primary', text: 'Create token'}))),
    ferr);
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(fields, ferr);
    result.hidden = true;
    try {
      const t = await api.post('tokens', {name: fields.name.input.value.trim()});
      fields.name.input.value = '';
      const secret = el('div', {class: 'secret', id: 'token-secret', text: t.token});
      const copy = el('button', {type: 'button', class: 'btn small', text: 'Copy'});
      copy.addEventListener('click', async () => {
        try {
          await navigator.clipboard.writeText(t.token);
          copy.textContent = 'Copied';
        } catch (e) {
          const r = document.createRange();
          r.selectNodeContents(secret);
          getSelection().removeAllRanges();
          getSelection().addRange(r);
          copy.textContent = 'Selected: copy it now';
        }
      });
      setChildren(shown,
        el('p', {}, 'The token ', el('strong', {text: t.name}), ' is made. Copy it now: it is not shown again.'),
        secret, copy,
        el('p', {class: 'note'}, 'Use it as ', el('span', {class: 'mono', text: 'Authorization: Bearer <token>'}), '.'));
      shown.hidden = false;
      await reload();
    } catch (e) {
      showError(fields, ferr, e, 'Cannot create the token');
    }
  });
  reload();
  const p = panel('API tokens', el('span', {class: 'sub', text: 'For scripts and billing systems.'}),
    list, result, el('h3', {class: 'spaced', text: 'Create a token'}), form, shown);
  p.id = 'tokens-panel';
  return p;
}

export function render(main, params, ctx) {
  main.append(el('div', {class: 'page-head'}, el('h1', {text: 'Users'})), usersPanel(ctx), tokensPanel(ctx));
}
