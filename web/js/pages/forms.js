// Forms that post to the API and put the server's reason next to the
// field it names (the error body's "field"), or under the form.
import {el} from '../dom.js';

// A labelled input with a slot for its error. attrs go to the input.
export function field(id, label, attrs, narrow) {
  const input = el('input', Object.assign({id, name: id, type: 'text'}, attrs || {}));
  const error = el('div', {class: 'field-error', id: id + '-error', role: 'alert'});
  input.setAttribute('aria-describedby', error.id);
  const box = el('div', {class: 'field' + (narrow ? ' narrow' : '')}, el('label', {for: id, text: label}), input, error);
  return {box, input, error};
}

// Clears the errors of fields and of the form.
export function clearErrors(fields, formError) {
  for (const f of Object.values(fields)) {
    f.error.textContent = '';
    f.input.removeAttribute('aria-invalid');
  }
  formError.textContent = '';
  formError.hidden = true;
}

// Shows an ApiError: next to fields[e.field] when there is one, else under
// the form.
export function showError(fields, formError, e, what) {
  const f = e && e.field ? fields[e.field] : null;
  const msg = e && e.message ? e.message : String(e);
  if (f) {
    f.error.textContent = msg;
    f.input.setAttribute('aria-invalid', 'true');
    f.input.focus();
  } else {
    formError.textContent = (what ? what + ': ' : '') + msg;
    formError.hidden = false;
  }
}

export function formError(id) {
  return el('p', {class: 'form-error', id, role: 'alert', hidden: true});
}
