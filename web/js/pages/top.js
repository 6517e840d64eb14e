// "Top by class": the hosts that moved the most bytes of one class in
// one direction over the last hours, with their networks' descriptions.
import {api, describe} from '../api.js';
import {el, setChildren, loading, state, segmented, swatch} from '../dom.js';
import {CLASSES, DIRS, classByName} from '../classes.js';
import * as fmt from '../format.js';

export const title = 'Top by class';

const HOURS = [1, 3, 8, 24, 48];
const LIMIT = 50;

function readParams(params) {
  const cls = classByName(params.get('class')) ? params.get('class') : 'total';
  const dir = params.get('dir') === 'S' ? 'S' : 'R';
  const hours = HOURS.includes(Number(params.get('hours'))) ? Number(params.get('hours')) : 1;
  return {cls, dir, hours};
}

// The host view's period that covers the window.
function hostPeriod(hours) {
  return hours <= 1 ? 'hour' : hours <= 24 ? '24h' : '48h';
}

function classPicker(sel, onPick) {
  const box = el('div', {class: 'seg', role: 'group', 'aria-label': 'Class', id: 'top-class'});
  for (const c of CLASSES) {
    box.append(el('button', {type: 'button', 'aria-pressed': String(c.name === sel.cls), dataset: {value: c.name},
      on: {click: () => onPick(c.name)}}, swatch(c.color), ' ', c.label));
  }
  return box;
}

function table(data, sel) {
  if (!data.hosts.length) {
    return state('No ' + classByName(sel.cls).label + ' ' + (sel.dir === 'R' ? 'download' : 'upload') +
      ' in the last ' + (sel.hours === 1 ? 'hour' : sel.hours + ' hours') + '.');
  }
  const max = data.hosts[0].bytes || 1;
  const color = classByName(sel.cls).color;
  const rows = data.hosts.map((h, i) => {
    const fill = el('span');
    fill.style.width = ((100 * h.bytes) / max).toFixed(1) + '%';
    fill.style.background = color;
    return el('tr', {dataset: {ip: h.ip, bytes: String(h.bytes)}},
      el('td', {class: 'r muted rank', text: String(i + 1)}),
      el('td', {}, el('a', {class: 'mono', href: '#/host?' + new URLSearchParams({ip: h.ip, period: hostPeriod(sel.hours)}), text: h.ip})),
      el('td', {class: 'desc', text: h.desc || ''}),
      el('td', {class: 'r num', title: fmt.int(h.bytes) + ' bytes', text: fmt.bytes(h.bytes)}),
      el('td', {class: 'r num hide-phone', text: fmt.mbps(h.mbps)}),
      el('td', {class: 'hide-phone share'}, el('div', {class: 'meter'}, fill)));
  });
  return el('div', {class: 'table-wrap'}, el('table', {id: 'top-table'},
    el('thead', {}, el('tr', {},
      el('th', {class: 'r rank', text: '#'}), el('th', {text: 'Host'}), el('th', {text: 'Network'}),
      el('th', {class: 'r', text: 'Bytes'}), el('th', {class: 'r hide-phone', text: 'Average'}),
      el('th', {class: 'hide-phone', text: 'Share of the first'}))),
    el('tbody', {}, rows)));
}

export function render(main, params, ctx) {
  const sel = readParams(params);
  const go = (changes) => ctx.go('top', Object.assign({class: sel.cls, dir: sel.dir, hours: sel.hours}, changes));
  const result = el('div', {id: 'top-result'}, loading());
  const span = el('span', {class: 'sub', id: 'top-window'});
  main.append(
    el('div', {class: 'page-head'}, el('h1', {text: 'Top by class'}), span),
    el('div', {class: 'controls'},
      el('div', {class: 'group'}, el('span', {class: 'label', text: 'Class'}), classPicker(sel, (c) => go({class: c})))),
    el('div', {class: 'controls'},
      el('div', {class: 'group'}, el('span', {class: 'label', text: 'Direction'}),
        segmented('Direction', DIRS, sel.dir, (d) => go({dir: d}))),
      el('div', {class: 'group'}, el('span', {class: 'label', text: 'Last'}),
        segmented('Hours', HOURS.map((h) => ({value: h, label: h + ' h'})), sel.hours, (h) => go({hours: h})))),
    el('section', {class: 'panel'}, result));
  api.get('top', {class: sel.cls, dir: sel.dir, hours: sel.hours, limit: LIMIT}).then((data) => {
    if (!ctx.alive()) return;
    span.textContent = fmt.dateTime(data.from) + ' to ' + fmt.dateTime(data.to);
    setChildren(result, table(data, sel));
  }).catch((e) => {
    if (ctx.alive()) setChildren(result, state(describe('Cannot load the top hosts', e), 'error'));
  });
}
