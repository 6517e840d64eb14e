// IPv4/IPv6 addresses and CIDR prefixes, to tell which local network a
// host belongs to (the longest prefix that holds it, as the collector
// matches).

function v4(s) {
  const p = s.split('.');
  if (p.length !== 4) return null;
  const out = [];
  for (const x of p) {
    if (!/^\d{1,3}$/.test(x) || Number(x) > 255) return null;
    out.push(Number(x));
  }
  return out;
}

function v6(s) {
  let tail = [];
  // an IPv4 tail: ::ffff:10.0.0.1
  const m = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
  if (m) {
    const b = v4(m[2]);
    if (!b) return null;
    tail = [(b[0] << 8) | b[1], (b[2] << 8) | b[3]];
    s = m[1].endsWith('::') ? m[1] : m[1].slice(0, -1);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (h) => (h === '' ? [] : h.split(':').map((g) => (/^[0-9a-fA-F]{1,4}$/.test(g) ? parseInt(g, 16) : NaN)));
  const a = parse(halves[0]);
  const b = halves.length === 2 ? parse(halves[1]) : [];
  const groups = halves.length === 2 ? 8 - a.length - b.length - tail.length : 0;
  if (groups < 0 || (halves.length === 1 && a.length + tail.length !== 8)) return null;
  const words = [...a, ...new Array(groups).fill(0), ...b, ...tail];
  if (words.length !== 8 || words.some((w) => Number.isNaN(w))) return null;
  const out = [];
  for (const w of words) out.push(w >> 8, w & 255);
  return out;
}

// The address as bytes (4 or 16), or null.
export function parseIp(s) {
  s = String(s || '').trim();
  return s.includes(':') ? v6(s) : v4(s);
}

export function isIp(s) {
  return parseIp(s) !== null;
}

// "10.0.0.0/8" -> {bytes, len}, or null.
export function parseCidr(s) {
  const m = /^([^/]+)\/(\d{1,3})$/.exec(String(s || '').trim());
  if (!m) return null;
  const bytes = parseIp(m[1]);
  const len = Number(m[2]);
  if (!bytes || len > bytes.length * 8) return null;
  return {bytes, len};
}

function contains(net, ip) {
  if (net.bytes.length !== ip.length) return false;
  let bits = net.len;
  for (let i = 0; bits > 0; i++, bits -= 8) {
    const mask = bits >= 8 ? 255 : (0xff << (8 - bits)) & 255;
    if ((net.bytes[i] & mask) !== (ip[i] & mask)) return false;
  }
  return true;
}

// The network of the list [{cidr, …}] that holds ip with the longest
// prefix, or null.
export function networkOf(ip, networks) {
  const addr = parseIp(ip);
  if (!addr) return null;
  let best = null;
  let bestLen = -1;
  for (const n of networks || []) {
    const net = parseCidr(n.cidr);
    if (net && net.len > bestLen && contains(net, addr)) {
      best = n;
      bestLen = net.len;
    }
  }
  return best;
}
