// Settings: the local networks (those of the config file read-only, those
// added here deletable), the collector's status with rates computed
// between two polls, and the store.
import {api, describe} from '../api.js';
import {el, setChildren, loading, state, panel, confirmButton} from '../dom.js';
import {field, clearErrors, showError, formError} from './forms.js';
import {forgetLists} from './host.js';
import * as fmt from '../format.js';

export const title = 'Settings';

const POLL_MS = 5000;

// ---- networks ----

function networksTable(nets, reload, report) {
  if (!nets.length) return state('No local networks: nothing is being accounted.');
  const rows = nets.map((n) => el('tr', {dataset: {cidr: n.cidr, source: n.source}},
    el('td', {class: 'mono', text: n.cidr}),
    el('td', {text: n.description || ''}),
    el('td', {}, n.source === 'ui' ? el('span', {class: 'badge ui', text: 'added here'})
      : el('span', {class: 'badge', title: 'Edit the config file to change it', text: 'config file, read-only'})),
    el('td', {class: 'actions'}, n.source === 'ui'
      ? confirmButton('Delete', 'Delete ' + n.cidr + '?', async () => {
        try {
          await api.del('networks', {cidr: n.cidr});
          forgetLists();
          report('Deleted ' + n.cidr + '.', false);
          await reload();
        } catch (e) {
          report(describe('Cannot delete ' + n.cidr, e), true);
        }
      })
      : null)));
  return el('div', {class: 'table-wrap'}, el('table', {id: 'networks'},
    el('thead', {}, el('tr', {}, el('th', {text: 'Network'}), el('th', {text: 'Description'}),
      el('th', {text: 'Source'}), el('th', {class: 'r', text: ''}))),
    el('tbody', {}, rows)));
}

function networksPanel(ctx) {
  const list = el('div', {}, loading());
  const result = el('p', {class: 'form-ok', id: 'networks-result', role: 'status', hidden: true});
  const fields = {
    cidr: field('net-cidr', 'Network (CIDR)', {placeholder: '10.1.0.0/16', autocomplete: 'off', spellcheck: 'false', maxlength: 64}, true),
    description: field('net-description', 'Description', {placeholder: 'Office', maxlength: 128}),
  };
  const ferr = formError('net-form-error');
  const submit = el('button', {type: 'submit', class: 'btn primary', text: 'Add network'});
  const form = el('form', {id: 'net-form', novalidate: true},
    el('div', {class: 'form-row'}, fields.cidr.box, fields.description.box, el('div', {class: 'form-actions'}, submit)),
    ferr);
  const report = (msg, bad) => {
    result.textContent = msg;
    result.className = bad ? 'form-error' : 'form-ok';
    result.hidden = false;
  };
  const reload = async () => {
    try {
      const d = await api.get('networks');
      if (ctx.alive()) setChildren(list, networksTable(d.networks || [], reload, report));
    } catch (e) {
      if (ctx.alive()) setChildren(list, state(describe('Cannot load the networks', e), 'error'));
    }
  };
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    clearErrors(fields, ferr);
    result.hidden = true;
    const cidr = fields.cidr.input.value.trim();
    const description = fields.description.input.value;
    if (!cidr) {
      showError(fields, ferr, {field: 'cidr', message: 'Enter a network, e.g. 10.1.0.0/16.'});
      return;
    }
    submit.disabled = true;
    try {
      const n = await api.post('networks', {cidr, description});
      forgetLists();
      fields.cidr.input.value = '';
      fields.description.input.value = '';
      report('Added ' + (n && n.cidr ? n.cidr : cidr) + '. Its hosts are accounted from now on.', false);
      await reload();
    } catch (e) {
      showError(fields, ferr, e, 'Cannot add the network');
    } finally {
      submit.disabled = false;
    }
  });
  reload();
  const p = panel('Local networks', el('span', {class: 'sub', text: 'Only hosts in these networks are accounted.'}),
    list, el('h3', {class: 'spaced', text: 'Add a network'}), form, result);
  p.id = 'networks-panel';
  return p;
}

// ---- collector status ----

function sumProtocols(e, key) {
  let n = 0;
  for (const p of Object.values(e.protocols || {})) n += p[key] || 0;
  return n;
}

function sumErrors(e) {
  let n = 0;
  for (const v of Object.values(e.errors || {})) n += v;
  return n;
}

// Per second between two snapshots; null without an earlier one.
function rate(cur, prev, seconds) {
  if (prev === undefined || prev === null || !(seconds > 0) || cur < prev) return null;
  return (cur - prev) / seconds;
}

function listenersTable(listeners) {
  if (!listeners || !listeners.length) return state('No listeners.');
  return el('div', {class: 'table-wrap'}, el('table', {id: 'listeners'},
    el('thead', {}, el('tr', {}, el('th', {text: 'Address'}), el('th', {class: 'r', text: 'Port'}),
      el('th', {text: 'Protocol'}), el('th', {class: 'r', text: 'Kernel drops'}), el('th', {class: 'r', text: 'Truncated'}))),
    el('tbody', {}, listeners.map((l) => el('tr', {},
      el('td', {class: 'mono', text: l.addr}), el('td', {class: 'r num', text: String(l.port)}),
      el('td', {text: l.protocol}),
      el('td', {class: 'r num', text: l.kernel_drops === undefined ? '' : fmt.int(l.kernel_drops)}),
      el('td', {class: 'r num', text: l.truncated === undefined ? '' : fmt.int(l.truncated)}))))));
}

function exportersTable(st, prev) {
  const ex = st.exporters || [];
  if (!ex.length) return state('No exporter has sent anything yet.');
  const seconds = prev ? st.snapshot_time - prev.snapshot_time : 0;
  const before = new Map((prev ? prev.exporters || [] : []).map((e) => [e.addr, e]));
  const rateText = (v, f) => (v === null ? '–' : f(v));
  return el('div', {class: 'table-wrap'}, el('table', {id: 'exporters'},
    el('thead', {}, el('tr', {},
      el('th', {text: 'Exporter'}), el('th', {text: 'Protocols'}), el('th', {class: 'r', text: 'Sampling'}),
      el('th', {class: 'r', text: 'Packets'}), el('th', {class: 'r', text: 'Records'}), el('th', {class: 'r', text: 'Bytes'}),
      el('th', {class: 'r', text: 'Errors'}), el('th', {class: 'r', text: 'Packets/s'}), el('th', {class: 'r', text: 'Records/s'}),
      el('th', {class: 'r', text: 'Rate'}), el('th', {text: 'Last seen'}))),
    el('tbody', {}, ex.map((e) => {
      const p = before.get(e.addr);
      const packets = sumProtocols(e, 'packets');
      const records = sumProtocols(e, 'records');
      const bytes = sumProtocols(e, 'bytes');
      const errors = sumErrors(e);
      const reasons = Object.entries(e.errors || {}).map(([k, v]) => k + ': ' + fmt.int(v)).join(', ');
      const br = rate(bytes, p && sumProtocols(p, 'bytes'), seconds);
      return el('tr', {dataset: {addr: e.addr}},
        el('td', {class: 'mono', text: e.addr}),
        el('td', {text: Object.keys(e.protocols || {}).join(', ')}),
        el('td', {class: 'r num', title: e.signalled_rate ? 'signalled by the exporter: 1 in ' + e.signalled_rate
          : 'the exporter signals none: the default applies', text: '1 in ' + fmt.int(e.sampling_rate)}),
        el('td', {class: 'r num', text: fmt.int(packets)}),
        el('td', {class: 'r num', text: fmt.int(records)}),
        el('td', {class: 'r num', title: fmt.int(bytes) + ' bytes', text: fmt.bytes(bytes)}),
        el('td', {class: 'r num', title: reasons || 'none'}, errors ? el('span', {class: 'badge bad', text: fmt.int(errors)}) : '0'),
        el('td', {class: 'r num', text: rateText(rate(packets, p && sumProtocols(p, 'packets'), seconds), fmt.perSecond)}),
        el('td', {class: 'r num', text: rateText(rate(records, p && sumProtocols(p, 'records'), seconds), fmt.perSecond)}),
        el('td', {class: 'r num', title: 'bytes of flows reported per second, before sampling',
          text: br === null ? '–' : fmt.mbps((br * 8) / 1048576)}),
        el('td', {title: fmt.dateTime(e.last_seen), text: fmt.ago(e.last_seen, st.time)}));
    }))));
}

function counter(label, value, r, id) {
  return el('div', {class: 'stat'}, el('div', {class: 'label', text: label}),
    el('div', {class: 'value', id}, fmt.int(value || 0),
      r === null || r === undefined ? null : el('small', {text: ' ' + fmt.perSecond(r)})));
}

function collectorBody(st, prev) {
  const a = st.accounting || {};
  const pa = prev ? prev.accounting || {} : {};
  const seconds = prev ? st.snapshot_time - prev.snapshot_time : 0;
  const r = (cur, old) => rate(cur, old, seconds);
  const replies = (st.http && st.http.replies) || {};
  return [
    el('div', {class: 'stats'},
      counter('Records accounted', a.records, r(a.records, pa.records), 'acc-records'),
      counter('Transit (no local host)', a.transit, null),
      counter('Clock off (arrival time used)', a.clock_off, null),
      counter('Dropped: memory full', a.dropped_full, null),
      counter('Dropped: absurd', a.absurd, null),
      counter('Rows written', st.rows_written, r(st.rows_written, prev && prev.rows_written)),
      counter('Failed writes', st.flush_errors, null),
      counter('Exporters refused', st.exporters_refused, null)),
    el('p', {class: 'note'},
      'Version ' + (st.version || '–') + ' · up for ' + fmt.duration(st.uptime) + ' · ' + (st.workers || 0) +
      ' workers · default sampling 1 in ' + (st.default_sampling_rate || 1) + ' · HTTP replies 2xx ' +
      fmt.int(replies['2xx'] || 0) + ', 4xx ' + fmt.int(replies['4xx'] || 0) + ', 5xx ' + fmt.int(replies['5xx'] || 0) +
      (prev ? ' · rates over the last ' + seconds + ' s' : ' · rates after the next poll')),
    el('h3', {class: 'spaced', text: 'Listeners'}), listenersTable(st.listeners),
    el('h3', {class: 'spaced', text: 'Exporters'}), exportersTable(st, prev),
  ];
}

// "30 days", or what 0 means.
function keptFor(days) {
  return days ? fmt.int(days) + (days === 1 ? ' day' : ' days') : 'as long as the disk allows';
}

// What the store keeps, as configured, and what retention deleted.
function retentionItems(s, now) {
  const floors = s.retention_floor_days || {};
  const reserve = s.reserved_space ? s.reserved_space + ' % of the disk kept free: the oldest 5-minute data goes first (never the last ' +
    (floors.bins || 2) + ' days), then the oldest hourly data (never the last ' + (floors.hourly || 35) + ' days)'
    : 'no disk check';
  const pruned = s.pruned || {};
  const items = [
    ['Retention', el('span', {id: 'store-retention', text: '5-minute data ' + keptFor(s.retention_days) + ' · hourly data ' +
      keptFor(s.retention_hourly_days) + ' · daily data and monthly totals for good'})],
    ['Disk reserve', [el('span', {id: 'store-reserve', text: reserve}), s.at_floor
      ? [' ', el('span', {class: 'badge bad', id: 'store-at-floor', title: 'Free some space or lower STORAGE_RESERVED_SPACE',
        text: 'below the reserve, and only the last ' + (floors.bins || 2) + ' days of 5-minute and ' + (floors.hourly || 35) +
          ' days of hourly data are left'})]
      : s.disk_short ? [' ', el('span', {class: 'badge', text: 'less free than the reserve: deleting the oldest data'})] : null]],
  ];
  if (s.pruned) {
    items.push(['Deleted', el('span', {id: 'store-pruned', text: fmt.int(pruned.bins || 0) + ' 5-minute rows, ' + fmt.int(pruned.hourly || 0) +
      ' hourly rows since the start · last check ' + fmt.ago(s.last_prune, now)})]);
  }
  return items;
}

function storeBody(st, sys) {
  const s = st.store || {};
  const disk = sys && sys.disk;
  const items = [
    ['Database file', el('span', {class: 'mono', text: s.path || '–'})],
    ['Size', el('span', {id: 'store-size', title: fmt.int(s.size || 0) + ' bytes' +
      (s.free_inside ? ', ' + fmt.int(s.free_inside) + ' of them free for new data' : ''), text: fmt.bytes(s.size || 0)})],
    ['Hosts', fmt.int(s.hosts || 0)],
    ['5-minute data', s.first_bin ? fmt.dateTime(s.first_bin) + ' to ' + fmt.dateTime(s.last_bin + 300)
      : s.pruned && s.pruned.bins ? 'none left' : 'none yet'],
    ['Hourly data', s.first_hour ? 'from ' + fmt.dateTime(s.first_hour) : s.pruned && s.pruned.hourly ? 'none left' : 'none yet'],
    ...retentionItems(s, st.time),
    ['Schema version', String(s.schema || '–')],
  ];
  if (disk) items.push(['Disk', fmt.bytes(disk.free) + ' free of ' + fmt.bytes(disk.total) + ' (' + fmt.percent(disk.free, disk.total) + ')']);
  if (s.error) items.push(['Error', el('span', {class: 'badge bad', text: s.error})]);
  return el('div', {class: 'table-wrap'}, el('table', {id: 'store'}, el('tbody', {},
    items.map(([k, v]) => el('tr', {}, el('th', {text: k}), el('td', {}, v))))));
}

export function render(main, params, ctx) {
  const collector = el('div', {id: 'collector'}, loading());
  const store = el('div', {id: 'store-slot'}, loading());
  main.append(el('div', {class: 'page-head'}, el('h1', {text: 'Settings'})),
    networksPanel(ctx),
    panel('Collector', el('span', {class: 'sub', text: 'Refreshed every ' + POLL_MS / 1000 + ' s'}), collector),
    panel('Storage', null, store));
  let prev = null;
  let sys = null;
  let busy = false;
  api.get('system').then((s) => {
    sys = s;
  }).catch(() => {});
  const poll = async () => {
    if (busy || !ctx.alive()) return;
    busy = true;
    try {
      const st = await api.get('status');
      if (!ctx.alive()) return;
      setChildren(collector, collectorBody(st, prev));
      setChildren(store, storeBody(st, sys));
      prev = st;
    } catch (e) {
      if (ctx.alive()) setChildren(collector, state(describe('Cannot load the collector status', e), 'error'));
    } finally {
      busy = false;
    }
  };
  poll();
  const timer = setInterval(() => {
    if (document.visibilityState === 'visible') poll();
  }, POLL_MS);
  return () => clearInterval(timer);
}
