// One host (or all hosts, 0.0.0.0): its download and upload charts for a
// period, this month's totals and the period's, its network. The picker
// on the side lists this month's hosts by download and filters as one
// types; any address can be typed in, listed or not.
import {api, apiUrl, describe} from '../api.js';
import {el, setChildren, loading, state, segmented} from '../dom.js';
import {networkOf, isIp} from '../net.js';
import * as fmt from '../format.js';

export const title = 'Hosts';

const ALL = '0.0.0.0';
const MAX_HOSTS = 10000; // hosts fetched for the picker
const MAX_SHOWN = 200; // rows the picker draws at once
const CACHE_MS = 60000;

export const PERIODS = [
  {value: 'hour', label: 'Hour'},
  {value: 'day', label: 'Today'},
  {value: '24h', label: '24 h'},
  {value: '48h', label: '48 h'},
  {value: 'week', label: 'Week'},
  {value: 'month', label: 'Month'},
  {value: 'year', label: 'Year'},
  {value: 'custom', label: 'Custom'},
];

let cache = null; // {at, hosts, month, networks}
let filterText = '';
let view = null; // the open page's parts

async function loadLists() {
  if (cache && Date.now() - cache.at < CACHE_MS) return cache;
  const [hosts, networks] = await Promise.all([
    api.get('hosts', {sort: 'dl', limit: MAX_HOSTS}),
    api.get('networks').then((d) => d.networks || []).catch(() => []),
  ]);
  cache = {at: Date.now(), hosts, networks};
  return cache;
}

// Drops the picker's lists, after a change that alters them (networks).
export function forgetLists() {
  cache = null;
}

function readParams(params) {
  const ip = params.get('ip') || ALL;
  let period = params.get('period') || 'day';
  if (!PERIODS.some((p) => p.value === period)) period = 'day';
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  return {ip, period, from: Number.isFinite(from) ? from : 0, to: Number.isFinite(to) ? to : 0};
}

function link(sel, changes) {
  const p = Object.assign({ip: sel.ip, period: sel.period}, changes);
  if (p.period !== 'custom') {
    delete p.from;
    delete p.to;
  } else {
    p.from = p.from !== undefined ? p.from : sel.from;
    p.to = p.to !== undefined ? p.to : sel.to;
  }
  return p;
}

function apiPeriod(sel) {
  return sel.period === 'custom' ? {period: 'explict', from: sel.from, to: sel.to} : {period: sel.period};
}

// ---- the picker ----

function pickerRow(h, selected, onPick) {
  return el('li', {},
    el('button', {type: 'button', role: 'option', 'aria-selected': String(selected), dataset: {ip: h.ip},
      on: {click: () => onPick(h.ip)}},
      el('span', {class: 'ip', text: h.ip === ALL ? 'All hosts' : h.ip}),
      el('span', {class: 'dl', title: 'Download this month', text: h.dl !== undefined ? fmt.bytes(h.dl) : ''}),
      h.desc ? el('span', {class: 'desc', text: h.desc}) : null));
}

function drawPicker() {
  if (!view || !view.lists) return;
  const {list, lists, sel, ctx} = view;
  const f = filterText.trim().toLowerCase();
  const onPick = (ip) => ctx.go('host', link(sel, {ip}));
  const rows = [];
  let allDl = 0;
  for (const h of lists.hosts.hosts) allDl += h.dl;
  if (!f || 'all hosts'.includes(f) || ALL.startsWith(f)) rows.push(pickerRow({ip: ALL, dl: allDl, desc: 'Every local host'}, sel.ip === ALL, onPick));
  let shown = 0;
  let matched = 0;
  let exact = false;
  for (const h of lists.hosts.hosts) {
    if (f && !h.ip.toLowerCase().includes(f) && !(h.desc || '').toLowerCase().includes(f)) continue;
    matched++;
    if (h.ip.toLowerCase() === f) exact = true;
    if (shown < MAX_SHOWN) {
      rows.push(pickerRow(h, h.ip === sel.ip, onPick));
      shown++;
    }
  }
  if (f && !exact && isIp(f)) rows.unshift(pickerRow({ip: f, desc: 'Not among this month\'s hosts'}, f === sel.ip, onPick));
  setChildren(list, rows);
  const more = matched - shown;
  view.pickerNote.textContent = more > 0 ? fmt.int(more) + ' more: type to narrow the list.'
    : !matched && f ? 'No host matches.' : '';
}

// ---- the detail ----

function chartFigure(label, dir, sel, width, height) {
  const params = Object.assign({ip: sel.ip, dir}, apiPeriod(sel), {w: width, h: height});
  const url = apiUrl('graph', params);
  const overlay = el('div', {class: 'overlay loading', text: 'Loading chart'});
  const img = el('img', {alt: label + ' chart of ' + (sel.ip === ALL ? 'all hosts' : sel.ip),
    width: String(width), height: String(height), id: 'chart-' + dir, dataset: {state: 'loading'}});
  img.addEventListener('load', () => {
    img.dataset.state = 'loaded';
    overlay.remove();
  });
  img.addEventListener('error', async () => {
    img.dataset.state = 'error';
    img.hidden = true;
    overlay.className = 'overlay error';
    overlay.setAttribute('role', 'alert');
    overlay.textContent = 'The chart did not load.';
    // The image says nothing about why; the same request as text does.
    try {
      await api.get('graph', params);
    } catch (e) {
      overlay.textContent = describe('The chart did not load', e);
    }
  });
  img.src = url;
  return el('figure', {class: 'chart'},
    el('figcaption', {}, el('span', {text: label}), el('span', {class: 'muted', text: width + ' × ' + height})),
    el('div', {class: 'frame'}, img, overlay));
}

function chartSize() {
  const w = Math.floor(view.charts.clientWidth || 0);
  const width = Math.max(300, Math.min(4000, w || 800));
  return {width, height: width < 700 ? 300 : 400};
}

function drawCharts() {
  const {sel} = view;
  const {width, height} = chartSize();
  view.chartWidth = width;
  setChildren(view.charts,
    chartFigure('Download', 'R', sel, width, height),
    chartFigure('Upload', 'S', sel, width, height));
}

function customForm(sel) {
  const now = Math.floor(Date.now() / 1000);
  const from = el('input', {type: 'datetime-local', id: 'range-from', value: fmt.localInput(sel.from || now - 86400)});
  const to = el('input', {type: 'datetime-local', id: 'range-to', value: fmt.localInput(sel.to || now)});
  const error = el('div', {class: 'field-error', id: 'range-error', role: 'alert'});
  const form = el('form', {class: 'custom-range', id: 'range-form'},
    el('div', {class: 'field'}, el('label', {for: 'range-from', text: 'From'}), from),
    el('div', {class: 'field'}, el('label', {for: 'range-to', text: 'To'}), to),
    el('button', {type: 'submit', class: 'btn', text: 'Show'}), error);
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    const f = fmt.fromLocalInput(from.value);
    const t = fmt.fromLocalInput(to.value);
    if (!Number.isFinite(f) || !Number.isFinite(t)) {
      error.textContent = 'Enter both times.';
    } else if (f >= t) {
      error.textContent = '"From" must be before "To".';
    } else {
      error.textContent = '';
      view.ctx.go('host', link(sel, {period: 'custom', from: f, to: t}));
    }
  });
  return form;
}

function periodTotals(slot, sel) {
  const one = (dir) => api.get('series', Object.assign({ip: sel.ip, dir, step: 'auto'}, apiPeriod(sel)));
  Promise.all([one('R'), one('S')]).then(([R, S]) => {
    if (!view || view.sel !== sel) return;
    const sum = (s) => s.points.reduce((a, p) => a + p.bytes[0], 0);
    const dl = sum(R);
    const ul = sum(S);
    setChildren(slot,
      el('div', {class: 'stat'}, el('div', {class: 'label', text: 'Download in the period'}),
        el('div', {class: 'value', id: 'period-dl', title: fmt.int(dl) + ' bytes', dataset: {bytes: String(dl)}, text: fmt.bytes(dl)})),
      el('div', {class: 'stat'}, el('div', {class: 'label', text: 'Upload in the period'}),
        el('div', {class: 'value', id: 'period-ul', title: fmt.int(ul) + ' bytes', dataset: {bytes: String(ul)}, text: fmt.bytes(ul)})));
    view.periodNote.textContent = dl || ul ? fmt.dateTime(R.from) + ' to ' + fmt.dateTime(R.to)
      : 'No traffic recorded for this host from ' + fmt.dateTime(R.from) + ' to ' + fmt.dateTime(R.to) + '.';
  }).catch((e) => {
    if (view && view.sel === sel) setChildren(slot, state(describe('Cannot load the period\'s totals', e), 'error'));
  });
}

function monthTotals(sel) {
  const hosts = view.lists.hosts.hosts;
  if (sel.ip === ALL) {
    return hosts.reduce((a, h) => ({dl: a.dl + h.dl, ul: a.ul + h.ul}), {dl: 0, ul: 0});
  }
  return hosts.find((h) => h.ip === sel.ip) || null;
}

function drawHead() {
  const {sel, lists, head} = view;
  if (!lists) return;
  const entry = lists.hosts.hosts.find((h) => h.ip === sel.ip);
  const net = sel.ip === ALL ? null : networkOf(sel.ip, lists.networks);
  const desc = net ? net.description : entry && entry.desc;
  const m = monthTotals(sel);
  const month = fmt.monthName(lists.hosts.year, lists.hosts.month);
  setChildren(head.info,
    sel.ip === ALL ? el('span', {text: 'The sum over every local host'})
      : net || desc ? el('span', {id: 'host-network'},
        net ? el('span', {class: 'mono', text: net.cidr}) : null, net && desc ? ' · ' : null,
        desc ? el('span', {id: 'host-desc', text: desc}) : null)
        : el('span', {id: 'host-network', text: 'Not in any local network'}));
  setChildren(head.month,
    el('div', {class: 'stat'}, el('div', {class: 'label', text: 'Download, ' + month}),
      el('div', {class: 'value', id: 'host-month-dl', dataset: {bytes: String(m ? m.dl : 0)},
        title: fmt.int(m ? m.dl : 0) + ' bytes', text: fmt.bytes(m ? m.dl : 0)})),
    el('div', {class: 'stat'}, el('div', {class: 'label', text: 'Upload, ' + month}),
      el('div', {class: 'value', id: 'host-month-ul', dataset: {bytes: String(m ? m.ul : 0)},
        title: fmt.int(m ? m.ul : 0) + ' bytes', text: fmt.bytes(m ? m.ul : 0)})));
}

function drawDetail() {
  const {sel, detail, ctx} = view;
  const titleText = sel.ip === ALL ? 'All hosts' : sel.ip;
  const head = {info: el('div', {class: 'sub'}, ''), month: el('div', {class: 'stats'}, loading())};
  const period = el('div', {class: 'stats'}, loading());
  view.periodNote = el('p', {class: 'note', id: 'period-note'});
  view.head = head;
  view.charts = el('div', {class: 'charts'});
  setChildren(detail,
    el('div', {class: 'panel'},
      el('div', {class: 'page-head'}, el('h1', {id: 'host-title', class: sel.ip === ALL ? '' : 'mono', text: titleText}), head.info),
      el('div', {class: 'grid flush'}, head.month, period),
      view.periodNote),
    el('div', {class: 'controls'},
      el('div', {class: 'group'}, el('span', {class: 'label', text: 'Period'}),
        segmented('Period', PERIODS, sel.period, (p) => ctx.go('host', link(sel, {period: p})))),
      sel.period === 'custom' ? customForm(sel) : null),
    el('div', {class: 'panel'}, view.charts));
  drawHead();
  drawCharts();
  periodTotals(period, sel);
}

export function render(main, params, ctx) {
  filterText = '';
  const search = el('input', {type: 'search', id: 'host-search', placeholder: 'Filter: address or network',
    'aria-label': 'Filter hosts', autocomplete: 'off', spellcheck: 'false', value: filterText});
  const list = el('ul', {class: 'list', role: 'listbox', id: 'host-list', 'aria-label': 'Hosts'}, el('li', {}, loading()));
  const pickerNote = el('p', {class: 'note'});
  const detail = el('div', {class: 'detail'});
  main.append(el('div', {class: 'hostview'},
    el('aside', {class: 'panel picker'}, search, list, pickerNote),
    detail));
  view = {ctx, list, pickerNote, detail, sel: readParams(params), lists: null};
  search.addEventListener('input', () => {
    filterText = search.value;
    drawPicker();
  });
  search.addEventListener('keydown', (ev) => {
    if (ev.key !== 'Enter') return;
    const first = list.querySelector('button');
    if (first) first.click();
  });
  drawDetail();
  const mine = view;
  loadLists().then((lists) => {
    if (view !== mine || !ctx.alive()) return;
    view.lists = lists;
    drawPicker();
    drawHead();
  }).catch((e) => {
    if (view !== mine || !ctx.alive()) return;
    setChildren(list, el('li', {}, state(describe('Cannot load the hosts', e), 'error')));
    setChildren(view.head.month, state(describe('Cannot load this month\'s totals', e), 'error'));
  });
  let timer = null;
  const onResize = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (view === mine && Math.abs(chartSize().width - view.chartWidth) > 40) drawCharts();
    }, 300);
  };
  window.addEventListener('resize', onResize);
  return () => {
    window.removeEventListener('resize', onResize);
    clearTimeout(timer);
    if (view === mine) view = null;
  };
}

export function update(params) {
  if (!view) return;
  view.sel = readParams(params);
  drawPicker();
  drawDetail();
  window.scrollTo(0, 0);
}
