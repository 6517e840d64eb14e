// Building the page. Everything shown goes in through textContent or
// attributes set one by one; no HTML string is ever parsed, so nothing a
// host, network description or user name holds can become markup.

// el('td', {class: 'r', title: '…'}, 'text', otherNode, ...)
// Attributes: class, text (textContent), dataset (object), on (object of
// event handlers), hidden/disabled/checked/selected (booleans), anything
// else via setAttribute. Children: nodes, strings (as text), null/false
// (skipped) and arrays of those.
export function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = String(v);
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k === 'on') for (const [ev, fn] of Object.entries(v)) node.addEventListener(ev, fn);
    else if (k === 'hidden' || k === 'disabled' || k === 'checked' || k === 'selected') node[k] = Boolean(v);
    else if (k === 'value') node.value = String(v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  append(node, children);
  return node;
}

function append(node, children) {
  for (const c of children) {
    if (c === null || c === undefined || c === false) continue;
    if (Array.isArray(c)) append(node, c);
    else node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function clear(node) {
  node.replaceChildren();
  return node;
}

export function setChildren(node, ...children) {
  node.replaceChildren();
  append(node, children);
  return node;
}

// A muted line for loading, empty and error states.
export function state(text, kind) {
  return el('p', {class: 'state' + (kind ? ' ' + kind : ''), role: kind === 'error' ? 'alert' : null, text});
}

export function loading(text) {
  return el('p', {class: 'state loading', text: text || 'Loading'});
}

// A panel with a heading (and optional right-hand note or controls).
export function panel(title, aside, ...body) {
  return el('section', {class: 'panel'},
    el('div', {class: 'panel-head'}, el('h2', {text: title}), aside || null),
    ...body);
}

export function swatch(color) {
  const s = el('span', {class: 'swatch', 'aria-hidden': 'true'});
  s.style.background = color;
  return s;
}

// A segmented control: options [{value, label}], calls onPick(value).
export function segmented(name, options, current, onPick) {
  const box = el('div', {class: 'seg', role: 'group', 'aria-label': name});
  for (const o of options) {
    box.append(el('button', {
      type: 'button',
      'aria-pressed': String(o.value === current),
      dataset: {value: o.value},
      text: o.label,
      on: {click: () => onPick(o.value)},
    }));
  }
  return box;
}

// A button that asks for a second click before it acts (no modal dialog):
// the first click arms it for a few seconds.
export function confirmButton(label, armedLabel, action) {
  let timer = null;
  const b = el('button', {type: 'button', class: 'btn small danger', text: label});
  b.addEventListener('click', async () => {
    if (!b.classList.contains('armed')) {
      b.classList.add('armed');
      b.textContent = armedLabel;
      timer = setTimeout(() => {
        b.classList.remove('armed');
        b.textContent = label;
      }, 4000);
      return;
    }
    clearTimeout(timer);
    b.disabled = true;
    try {
      await action();
    } finally {
      b.disabled = false;
      b.classList.remove('armed');
      b.textContent = label;
    }
  });
  return b;
}
