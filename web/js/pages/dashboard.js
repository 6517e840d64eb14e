// The overview: this month's totals, the machine (load, disk, store), the
// traffic of all hosts by class in the last complete 5-minute step, and
// this month's top hosts.
import {api, describe} from '../api.js';
import {el, setChildren, loading, state, panel} from '../dom.js';
import {classBars} from './bars.js';
import * as fmt from '../format.js';

export const title = 'Dashboard';

const STEP = 300;
const TOP_N = 10;

// The server's current month, learned from the first answer that had to
// choose it (months follow the server's time zone, not the browser's).
let serverMonth = null;

function parseMonth(s) {
  const m = /^(\d{4})-(\d{1,2})$/.exec(s || '');
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  return month >= 1 && month <= 12 ? {year, month} : null;
}

function shiftMonth({year, month}, by) {
  const i = year * 12 + (month - 1) + by;
  return {year: Math.floor(i / 12), month: (i % 12) + 1};
}

function monthKey({year, month}) {
  return year + '-' + String(month).padStart(2, '0');
}

function stat(label, value, attrs) {
  return el('div', {class: 'stat'}, el('div', {class: 'label', text: label}),
    el('div', Object.assign({class: 'value'}, attrs || {}), value));
}

function monthPanel(body) {
  const nav = el('div', {class: 'seg', role: 'group', 'aria-label': 'Month'});
  const head = panel('This month', nav, body);
  head.id = 'month';
  return {head, nav};
}

function renderMonth(p, data, ctx) {
  const {nav} = p;
  const here = {year: data.year, month: data.month};
  const now = serverMonth;
  const prev = shiftMonth(here, -1);
  const next = shiftMonth(here, 1);
  const atNow = now && here.year === now.year && here.month === now.month;
  setChildren(nav,
    el('button', {type: 'button', 'aria-label': 'Previous month', text: '‹',
      on: {click: () => ctx.go('', {month: monthKey(prev)})}}),
    el('button', {type: 'button', id: 'month-name', 'aria-pressed': 'false', text: fmt.monthName(data.year, data.month),
      dataset: {month: monthKey(here)}, on: {click: () => ctx.go('', {})}}),
    el('button', {type: 'button', 'aria-label': 'Next month', text: '›', disabled: atNow,
      on: {click: () => ctx.go('', {month: monthKey(next)})}}));
  p.head.querySelector('h2').textContent = atNow ? 'This month' : fmt.monthName(data.year, data.month);
  let dl = 0;
  let ul = 0;
  for (const h of data.hosts) {
    dl += h.dl;
    ul += h.ul;
  }
  const body = p.head.querySelector('.stats-slot');
  setChildren(body, el('div', {class: 'stats'},
    stat('Download', fmt.bytes(dl), {id: 'month-dl', title: fmt.int(dl) + ' bytes', dataset: {bytes: String(dl)}}),
    stat('Upload', fmt.bytes(ul), {id: 'month-ul', title: fmt.int(ul) + ' bytes', dataset: {bytes: String(ul)}}),
    stat('Download : upload', fmt.ratio(dl, ul), {id: 'month-ratio'}),
    stat('Hosts', fmt.int(data.count), {id: 'month-hosts', dataset: {count: String(data.count)}})));
}

function renderSystem(slot, sys) {
  const load = Array.isArray(sys.load) ? sys.load : [];
  const disk = sys.disk || {};
  const used = disk.total ? disk.total - disk.free : 0;
  const share = disk.total ? used / disk.total : 0;
  const meter = el('div', {class: 'meter' + (share > 0.95 ? ' full' : share > 0.85 ? ' warn' : ''),
    role: 'meter', 'aria-valuemin': '0', 'aria-valuemax': '100', 'aria-valuenow': (100 * share).toFixed(0),
    'aria-label': 'Disk used'}, el('span'));
  meter.firstChild.style.width = (100 * share).toFixed(1) + '%';
  const store = sys.store || {};
  setChildren(slot,
    el('div', {class: 'stats'},
      stat('Load (1, 5, 15 min)', load.map((x) => Number(x).toFixed(2)).join('  '), {id: 'sys-load'}),
      stat('CPUs', sys.cpus !== undefined ? String(sys.cpus) : '–'),
      stat('Up for', fmt.duration(sys.uptime_s), {id: 'sys-uptime'})),
    el('div', {class: 'stats'},
      stat('Disk free', fmt.bytes(disk.free), {id: 'sys-disk-free', title: fmt.int(disk.free) + ' bytes'}),
      stat('Disk size', fmt.bytes(disk.total), {title: fmt.int(disk.total) + ' bytes'}),
      stat('Store', fmt.bytes(store.bytes), {id: 'sys-store', title: fmt.int(store.bytes) + ' bytes',
        dataset: {bytes: String(store.bytes)}})),
    meter,
    el('p', {class: 'note'}, fmt.percent(used, disk.total) + ' of ', el('span', {class: 'mono', text: disk.path || '–'}),
      ' used · store ', el('span', {class: 'mono', text: store.path || '–'}), ' · version ' + (sys.version || '–')));
}

function renderByClass(slots, series, caption) {
  // The last step that is over, by the server's clock (the series ends now).
  const to = Math.max(series.R.to, series.S.to);
  const last = Math.floor(to / STEP) * STEP - STEP;
  caption.textContent = fmt.dateTime(last) + '–' + fmt.clock(last + STEP);
  caption.dataset.ts = String(last);
  for (const dir of ['R', 'S']) {
    const p = series[dir].points.find((x) => x.ts === last);
    const bytes = p ? p.bytes : new Array(12).fill(0);
    setChildren(slots[dir], classBars(bytes, STEP),
      p ? null : el('p', {class: 'note', text: 'No traffic in this interval.'}));
  }
}

function renderTop(slot, data, ctx) {
  const hosts = data.hosts.slice(0, TOP_N);
  if (!hosts.length) {
    setChildren(slot, state('No traffic recorded in ' + fmt.monthName(data.year, data.month) + '.'));
    return;
  }
  const rows = hosts.map((h, i) => el('tr', {dataset: {ip: h.ip}},
    el('td', {class: 'r muted rank', text: String(i + 1)}),
    el('td', {}, el('a', {class: 'mono', href: '#/host?' + new URLSearchParams({ip: h.ip, period: 'month'}), text: h.ip})),
    el('td', {class: 'hide-phone', text: h.desc || ''}),
    el('td', {class: 'r num', title: fmt.int(h.dl) + ' bytes', dataset: {bytes: String(h.dl)}, text: fmt.bytes(h.dl)}),
    el('td', {class: 'r num', title: fmt.int(h.ul) + ' bytes', dataset: {bytes: String(h.ul)}, text: fmt.bytes(h.ul)})));
  setChildren(slot, el('div', {class: 'table-wrap'}, el('table', {id: 'top-hosts'},
    el('thead', {}, el('tr', {},
      el('th', {class: 'r rank', text: '#'}), el('th', {text: 'Host'}), el('th', {class: 'hide-phone', text: 'Network'}),
      el('th', {class: 'r', text: 'Download'}), el('th', {class: 'r', text: 'Upload'}))),
    el('tbody', {}, rows))),
  data.count > TOP_N ? el('p', {class: 'note'}, el('a', {href: '#/host', text: 'All ' + fmt.int(data.count) + ' hosts'})) : null);
}

export function render(main, params, ctx) {
  const want = parseMonth(params.get('month'));
  const monthSlot = el('div', {class: 'stats-slot'}, loading());
  const month = monthPanel(monthSlot);
  const sysSlot = el('div', {}, loading());
  const caption = el('span', {class: 'sub', id: 'by-class-time'});
  const bySlots = {R: el('div', {id: 'by-class-R'}, loading()), S: el('div', {id: 'by-class-S'}, loading())};
  const topSlot = el('div', {}, loading());
  const topPanel = panel('Top hosts', null, topSlot);
  main.append(
    el('div', {class: 'grid two'}, month.head, panel('System', null, sysSlot)),
    el('section', {class: 'panel', id: 'by-class'},
      el('div', {class: 'panel-head'}, el('h2', {text: 'Traffic by class, all hosts'}), caption),
      el('div', {class: 'grid two'},
        el('div', {}, el('h3', {text: 'Download'}), bySlots.R),
        el('div', {}, el('h3', {text: 'Upload'}), bySlots.S))),
    topPanel);
  topPanel.id = 'top';

  const q = want ? {year: want.year, month: want.month, sort: 'dl'} : {sort: 'dl'};
  api.get('hosts', q).then((data) => {
    if (!ctx.alive()) return;
    if (!want) serverMonth = {year: data.year, month: data.month};
    if (!serverMonth) {
      // Ask once which month the server is in, for the "next" button.
      api.get('hosts', {limit: 1}).then((d) => {
        serverMonth = {year: d.year, month: d.month};
        if (ctx.alive()) renderMonth(month, data, ctx);
      }).catch(() => {});
    }
    topPanel.querySelector('h2').textContent = 'Top hosts, ' + fmt.monthName(data.year, data.month);
    renderMonth(month, data, ctx);
    renderTop(topSlot, data, ctx);
  }).catch((e) => {
    if (!ctx.alive()) return;
    setChildren(monthSlot, state(describe('Cannot load the month\'s totals', e), 'error'));
    setChildren(topSlot, state(describe('Cannot load the hosts', e), 'error'));
  });

  api.get('system').then((sys) => {
    if (ctx.alive()) renderSystem(sysSlot, sys);
  }).catch((e) => {
    if (ctx.alive()) setChildren(sysSlot, state(describe('Cannot load the system status', e), 'error'));
  });

  const one = (dir) => api.get('series', {ip: '0.0.0.0', dir, period: 'hour', step: STEP});
  Promise.all([one('R'), one('S')]).then(([R, S]) => {
    if (ctx.alive()) renderByClass(bySlots, {R, S}, caption);
  }).catch((e) => {
    if (!ctx.alive()) return;
    for (const d of ['R', 'S']) setChildren(bySlots[d], state(describe('Cannot load the traffic', e), 'error'));
  });

  // Fresh figures while the page stays open.
  const timer = setInterval(() => {
    if (ctx.alive() && document.visibilityState === 'visible') {
      Promise.all([one('R'), one('S')]).then(([R, S]) => {
        if (ctx.alive()) renderByClass(bySlots, {R, S}, caption);
      }).catch(() => {});
    }
  }, 60000);
  return () => clearInterval(timer);
}
