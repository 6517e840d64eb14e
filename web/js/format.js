// Numbers and times as the dashboard shows them. Byte units are
// 1024-based throughout (1 KB = 1024 B), and rates are Mbit/s of 2^20
// bits, the unit of the charts, so that a figure here and a chart agree.

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];

// 1536 -> "1.50 KB", 1234567 -> "1.18 MB", 999 -> "999 B".
export function bytes(n) {
  n = Number(n);
  if (!Number.isFinite(n)) return '–';
  let v = Math.abs(n);
  let u = 0;
  while (v >= 1024 && u < UNITS.length - 1) {
    v /= 1024;
    u++;
  }
  const digits = u === 0 ? 0 : v < 10 ? 2 : v < 100 ? 1 : 0;
  return (n < 0 ? '-' : '') + v.toFixed(digits) + ' ' + UNITS[u];
}

// 12345678 -> "12,345,678"
export function int(n) {
  return Number(n).toLocaleString('en-US', {maximumFractionDigits: 0});
}

// Mbit/s: three significant places, at most three decimals.
export function mbps(x) {
  x = Number(x);
  if (!Number.isFinite(x)) return '–';
  if (x === 0) return '0 Mbit/s';
  if (x < 0.001) return '< 0.001 Mbit/s';
  const digits = x < 1 ? 3 : x < 10 ? 2 : x < 100 ? 1 : 0;
  return x.toFixed(digits) + ' Mbit/s';
}

// bytes over seconds as Mbit/s (2^20 bits), as the API computes it.
export function rateMbps(b, seconds) {
  return seconds > 0 ? (b * 8) / seconds / 1048576 : 0;
}

// Events per second: "12.3/s".
export function perSecond(x) {
  x = Number(x);
  if (!Number.isFinite(x)) return '–';
  const digits = x < 10 ? 1 : 0;
  return x.toFixed(digits) + '/s';
}

function pad(n) {
  return String(n).padStart(2, '0');
}

// UNIX seconds as local "2024-05-14 10:05".
export function dateTime(ts) {
  if (!ts) return '–';
  const d = new Date(ts * 1000);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' +
    pad(d.getHours()) + ':' + pad(d.getMinutes());
}

export function date(ts) {
  if (!ts) return '–';
  const d = new Date(ts * 1000);
  return d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate());
}

export function clock(ts) {
  const d = new Date(ts * 1000);
  return pad(d.getHours()) + ':' + pad(d.getMinutes());
}

// For <input type="datetime-local">: "2024-05-14T10:05".
export function localInput(ts) {
  return dateTime(ts).replace(' ', 'T');
}

// Back from it: UNIX seconds, or NaN.
export function fromLocalInput(s) {
  if (!s) return NaN;
  const t = new Date(s).getTime();
  return Number.isFinite(t) ? Math.floor(t / 1000) : NaN;
}

// 93784 -> "1 d 2 h", 3700 -> "1 h 1 min", 42 -> "42 s".
export function duration(s) {
  s = Math.max(0, Math.floor(Number(s) || 0));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d) return d + ' d ' + h + ' h';
  if (h) return h + ' h ' + m + ' min';
  if (m) return m + ' min';
  return s + ' s';
}

// Time since: "5 min ago".
export function ago(ts, now) {
  if (!ts) return 'never';
  const s = Math.max(0, (now || Date.now() / 1000) - ts);
  return s < 5 ? 'just now' : duration(s) + ' ago';
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August',
  'September', 'October', 'November', 'December'];

export function monthName(year, month) {
  return MONTHS[month - 1] + ' ' + year;
}

// Download per byte of upload: "3.42 : 1"; "–" without upload.
export function ratio(dl, ul) {
  if (!ul) return dl ? '∞' : '–';
  const r = dl / ul;
  return (r < 10 ? r.toFixed(2) : r < 100 ? r.toFixed(1) : r.toFixed(0)) + ' : 1';
}

export function percent(part, whole) {
  if (!whole) return '0 %';
  const p = (100 * part) / whole;
  return (p < 10 ? p.toFixed(1) : p.toFixed(0)) + ' %';
}
