// The dashboard in Debian's chromium (headless, driven by playwright-core)
// against a real `ophanimflow run` that run_dashboard.py prepared: a store
// of corpus captures, the user admin, the corpus networks. What the pages
// show is checked against the corpus oracles (OF_EXPECT) and against the
// API the pages read. The steps run in order on one page, as a person
// would use it: log in, look, change things, log out.
//
// Environment: OF_URL, OF_USER, OF_PASSWORD, OF_NF_PORT (the daemon's
// NetFlow port), OF_EXPECT (expectations, JSON), OF_CHROMIUM.
import {describe, it, before, after} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import {chromium} from 'playwright-core';
import {sendCapture} from './capture.mjs';

const BASE = process.env.OF_URL;
const USER = process.env.OF_USER;
const PASSWORD = process.env.OF_PASSWORD;
const exp = JSON.parse(fs.readFileSync(process.env.OF_EXPECT, 'utf8'));

let browser;
let page;
const pageErrors = [];

// A request from the page itself (its cookie, its origin). init.csrf
// true adds the session's token, as the dashboard does.
async function call(path, init = {}) {
  return page.evaluate(async ([p, i]) => {
    const headers = Object.assign({}, i.headers || {});
    if (i.csrf) {
      const s = await fetch('api/v1/session').then((r) => r.json());
      headers['X-CSRF-Token'] = s.csrf;
    }
    if (i.body !== undefined) headers['Content-Type'] = 'application/json';
    const r = await fetch(p, {method: i.method || 'GET', headers,
      body: i.body === undefined ? undefined : JSON.stringify(i.body)});
    const text = await r.text();
    let json = null;
    try {
      json = JSON.parse(text);
    } catch (e) {
      json = null;
    }
    return {status: r.status, text, json};
  }, [path, init]);
}

async function apiJson(path) {
  const r = await call(path);
  assert.equal(r.status, 200, path + ': ' + r.text);
  return r.json;
}

async function poll(fn, seconds, what) {
  const end = Date.now() + seconds * 1000;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) assert.fail('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 300));
  }
}

async function goto(hash) {
  await page.evaluate((h) => {
    location.hash = h;
  }, hash);
}

async function text(selector) {
  return (await page.locator(selector).first().textContent()).trim();
}

async function dataBytes(selector) {
  await page.locator(selector + '[data-bytes]').first().waitFor();
  return Number(await page.locator(selector).first().getAttribute('data-bytes'));
}

async function login(user, password) {
  await page.fill('#login-user', user);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
}

function sumTraffic(t) {
  let dl = 0;
  let ul = 0;
  for (const v of Object.values(t)) {
    dl += v.dl;
    ul += v.ul;
  }
  return {dl, ul};
}

describe('dashboard', () => {
  before(async () => {
    browser = await chromium.launch({
      executablePath: process.env.OF_CHROMIUM || '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu'],
    });
    const context = await browser.newContext({viewport: {width: 1400, height: 900}});
    page = await context.newPage();
    page.setDefaultTimeout(15000);
    page.on('pageerror', (e) => pageErrors.push(e.message));
  });

  after(async () => {
    if (browser) await browser.close();
  });

  it('serves its files from memory: types, ETag, 304, 404, no way out of web/', async () => {
    const index = await fetch(BASE);
    assert.equal(index.status, 200);
    assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.match(index.headers.get('content-security-policy'), /script-src 'self'/);
    const html = await index.text();
    assert.match(html, /<script type="module" src="ui\/js\/app.js">/);
    const js = await fetch(BASE + 'ui/js/app.js');
    assert.equal(js.status, 200);
    assert.equal(js.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(js.headers.get('cache-control'), 'no-cache');
    const etag = js.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]+"$/);
    const again = await fetch(BASE + 'ui/js/app.js', {headers: {'If-None-Match': etag}});
    assert.equal(again.status, 304);
    assert.equal((await fetch(BASE + 'of/ui/css/app.css')).status, 200);
    for (const p of ['ui/nothing.js', 'ui/%2e%2e/index.html', 'ui/..%2f..%2fetc%2fpasswd', 'ui/', 'ui/js']) {
      assert.equal((await fetch(BASE + p)).status, 404, p);
    }
    // fetch() would tidy "..": send it as it is
    const net = await import('node:net');
    const u = new URL(BASE);
    const raw = await new Promise((resolve, reject) => {
      const s = net.connect(Number(u.port), u.hostname, () => {
        s.write('GET /ui/../../../etc/passwd HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
      });
      let buf = '';
      s.on('data', (d) => (buf += d));
      s.on('end', () => resolve(buf));
      s.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 404/);
    assert.doesNotMatch(raw, /root:/);
  });

  it('shows the login form and refuses a wrong password with the server\'s words', async () => {
    await page.goto(BASE);
    await page.locator('#login-form').waitFor();
    assert.equal(await page.locator('#topbar').isVisible(), false);
    await login(USER, 'not the password');
    await page.locator('#login-error').waitFor({state: 'visible'});
    assert.equal(await text('#login-error'), 'wrong user name or password');
    assert.equal(await page.locator('#topbar').isVisible(), false);
  });

  it('logs in', async () => {
    await login(USER, PASSWORD);
    await page.locator('#topbar').waitFor({state: 'visible'});
    assert.equal(await text('#who'), USER);
    const s = await call('api/v1/session');
    assert.equal(s.status, 200);
    assert.equal(s.json.user, USER);
  });

  it('dashboard: this month\'s totals, the system, traffic by class, top hosts', async () => {
    await goto('#/');
    const traffic = await apiJson('api/v1/traffic');
    const want = sumTraffic(traffic);
    assert.ok(want.dl > 0, 'the store has traffic this month');
    assert.equal(await dataBytes('#month-dl'), want.dl);
    assert.equal(await dataBytes('#month-ul'), want.ul);
    if (exp.this_month.exact) {
      assert.equal(want.dl, exp.this_month.dl, 'this month = the oracle of the capture imported now');
      assert.equal(want.ul, exp.this_month.ul);
    }
    assert.equal(await text('#month-hosts'), String(Object.keys(traffic).length));
    // what is shown, in words and units
    const dlText = await text('#month-dl');
    assert.match(dlText, /^\d+(\.\d+)? (B|KB|MB|GB|TB)$/);
    const [num, unit] = dlText.split(' ');
    const scale = {B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4}[unit];
    assert.ok(Math.abs(Number(num) * scale - want.dl) / want.dl < 0.01, dlText + ' vs ' + want.dl);

    // top hosts: this month's by download
    const top = Object.entries(traffic).sort((a, b) => b[1].dl - a[1].dl);
    await page.locator('#top-hosts tbody tr').first().waitFor();
    assert.equal(await page.locator('#top-hosts tbody tr').first().getAttribute('data-ip'), top[0][0]);
    assert.equal(await page.locator('#top-hosts tbody tr').count(), Math.min(10, top.length));

    // system: the store's size as /api/v1/system says
    const sys = await apiJson('api/v1/system');
    assert.equal(await dataBytes('#sys-store'), sys.store.bytes);
    assert.ok(sys.store.bytes > 0);
    assert.match(await text('#sys-load'), /^\d+\.\d\d\s+\d+\.\d\d\s+\d+\.\d\d$/);

    // traffic by class in the last complete 5-minute step, both directions
    await page.locator('#by-class-time[data-ts]').waitFor();
    const ts = Number(await page.locator('#by-class-time').getAttribute('data-ts'));
    for (const dir of ['R', 'S']) {
      const series = await apiJson('api/v1/series?ip=0.0.0.0&period=hour&step=300&dir=' + dir);
      const point = series.points.find((p) => p.ts === ts);
      const shown = await page.locator('#by-class-' + dir + ' .val').evaluateAll(
        (els) => els.map((e) => [e.dataset.class, Number(e.dataset.bytes)]));
      assert.deepEqual(shown.map((x) => x[0]), series.classes);
      assert.deepEqual(shown.map((x) => x[1]), point ? point.bytes : new Array(12).fill(0));
      if (ts === exp.last_bin) assert.ok(point && point.bytes[0] > 0, 'the imported step has ' + dir + ' traffic');
    }
    if (ts !== exp.last_bin) console.log('# note: a 5-minute step ended during the test; the by-class panel was empty');

    // May 2024, the month of the captures: all of them, as the oracles say
    await goto('#/?month=2024-05');
    await page.locator('#month-name[data-month="2024-05"]').waitFor();
    await page.waitForFunction(() => document.querySelector('#month-dl[data-bytes]'));
    assert.equal(await dataBytes('#month-dl'), exp.may.dl);
    assert.equal(await dataBytes('#month-ul'), exp.may.ul);
    const may = sumTraffic(await apiJson('api/v1/traffic?year=2024&month=5'));
    assert.deepEqual(may, {dl: exp.may.dl, ul: exp.may.ul});
  });

  it('host view: pick a host and a period, both charts load at the container\'s width', async () => {
    await goto('#/host');
    await page.locator('#host-list button[data-ip="' + exp.host + '"]').waitFor();
    // the list is this month's hosts by download, after "All hosts"
    const ips = await page.locator('#host-list button').evaluateAll((els) => els.map((e) => e.dataset.ip));
    assert.equal(ips[0], '0.0.0.0');
    const hosts = await apiJson('api/v1/hosts?sort=dl');
    assert.deepEqual(ips.slice(1), hosts.hosts.map((h) => h.ip).slice(0, ips.length - 1));
    // search, then pick
    await page.fill('#host-search', exp.host.slice(0, -1));
    await page.locator('#host-list button[data-ip="' + exp.host + '"]').click();
    await page.locator('#host-title').filter({hasText: exp.host}).waitFor();
    await page.locator('.seg button[data-value="24h"]').click();
    await page.waitForFunction(() => location.hash.includes('period=24h'));
    for (const dir of ['R', 'S']) {
      const img = page.locator('#chart-' + dir);
      await page.locator('#chart-' + dir + '[data-state="loaded"]').waitFor({state: 'attached'});
      const m = await img.evaluate((e) => ({
        nw: e.naturalWidth, nh: e.naturalHeight, src: e.getAttribute('src'),
        box: e.closest('.charts').clientWidth,
      }));
      const q = new URLSearchParams(m.src.split('?')[1]);
      assert.ok(m.src.startsWith('api/v1/graph?'), m.src);
      assert.equal(q.get('ip'), exp.host);
      assert.equal(q.get('dir'), dir);
      assert.equal(q.get('period'), '24h');
      assert.equal(m.nw, Number(q.get('w')));
      assert.equal(m.nh, Number(q.get('h')));
      assert.equal(m.nw, m.box, 'the chart is as wide as its container');
      assert.equal(m.nh, 400);
    }
    // this month's totals of the host, its network and description
    const mine = exp.this_month.hosts[exp.host];
    const now = (await apiJson('api/v1/traffic?ip=' + exp.host))[exp.host];
    assert.equal(await dataBytes('#host-month-dl'), now.dl);
    assert.equal(await dataBytes('#host-month-ul'), now.ul);
    if (exp.this_month.exact) assert.deepEqual([now.dl, now.ul], mine);
    assert.equal(await text('#host-desc'), exp.host_desc);
    assert.match(await text('#host-network'), new RegExp('^' + exp.host_network.replace(/\./g, '\\.')));

    // the captures' own time, by the custom range form
    await page.locator('.seg button[data-value="custom"]').click();
    await page.locator('#range-form').waitFor();
    const local = (ts) => {
      const d = new Date(ts * 1000);
      const p = (n) => String(n).padStart(2, '0');
      return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate()) + 'T' + p(d.getHours()) + ':' + p(d.getMinutes());
    };
    await page.fill('#range-from', local(exp.custom.from));
    await page.fill('#range-to', local(exp.custom.to));
    await page.click('#range-form button[type=submit]');
    await page.waitForFunction((f) => location.hash.includes('from=' + f), exp.custom.from);
    assert.equal(await dataBytes('#period-dl'), exp.custom.R);
    assert.equal(await dataBytes('#period-ul'), exp.custom.S);
    for (const dir of ['R', 'S']) {
      await page.locator('#chart-' + dir + '[data-state="loaded"]').waitFor({state: 'attached'});
      const src = await page.locator('#chart-' + dir).getAttribute('src');
      const q = new URLSearchParams(src.split('?')[1]);
      assert.equal(q.get('period'), 'explict');
      assert.equal(Number(q.get('from')), exp.custom.from);
      assert.equal(Number(q.get('to')), exp.custom.to);
    }
    // "to" before "from" is refused on the page
    await page.fill('#range-from', local(exp.custom.to));
    await page.fill('#range-to', local(exp.custom.from));
    await page.click('#range-form button[type=submit]');
    assert.match(await text('#range-error'), /before/);
  });

  it('top by class: web, download, last hour', async () => {
    await goto('#/top');
    await page.locator('#top-class button[data-value="web"]').click();
    await page.waitForFunction(() => location.hash.includes('class=web'));
    await page.locator('.seg[aria-label="Direction"] button[data-value="R"]').click();
    await page.locator('.seg[aria-label="Hours"] button[data-value="1"]').click();
    const first = page.locator('#top-table tbody tr').first();
    await first.waitFor();
    assert.equal(await first.getAttribute('data-ip'), exp.top_web.ip);
    assert.equal(Number(await first.getAttribute('data-bytes')), exp.top_web.bytes);
    assert.equal(await page.locator('#top-table tbody tr').nth(1).getAttribute('data-ip'), exp.top_web.second);
    assert.equal(await first.locator('td.desc').textContent(), exp.host_desc);
    const api = await apiJson('api/v1/top?class=web&dir=R&hours=1&limit=50');
    const rows = await page.locator('#top-table tbody tr').evaluateAll((els) => els.map((e) => e.dataset.ip));
    assert.deepEqual(rows, api.hosts.map((h) => h.ip));
    // the link leads to the host view
    await first.locator('a').click();
    await page.locator('#host-title').filter({hasText: exp.top_web.ip}).waitFor();
  });

  it('settings: a bad CIDR shows the reason next to the field', async () => {
    await goto('#/settings');
    await page.locator('#networks tbody tr').first().waitFor();
    for (const bad of ['10.1.2.3/16', '300.1.0.0/8', 'office']) {
      await page.fill('#net-cidr', bad);
      await page.fill('#net-description', 'x');
      await page.click('#net-form button[type=submit]');
      await page.locator('#net-cidr-error').filter({hasText: /\S/}).waitFor();
      const server = await call('api/v1/networks', {method: 'POST', csrf: true, body: {cidr: bad, description: 'x'}});
      assert.equal(server.status, 400);
      assert.equal(server.json.field, 'cidr');
      assert.equal(await text('#net-cidr-error'), server.json.error);
      assert.equal(await page.locator('#net-cidr').getAttribute('aria-invalid'), 'true');
      assert.equal(await page.locator('#net-form-error').isVisible(), false);
    }
    // config networks are labelled and cannot be deleted here
    for (const cidr of exp.config_networks) {
      const row = page.locator('#networks tr[data-cidr="' + cidr + '"]');
      assert.equal(await row.getAttribute('data-source'), 'config');
      assert.match(await row.textContent(), /read-only/);
      assert.equal(await row.locator('button').count(), 0);
    }
  });

  it('settings: a network added takes effect at once, and is deleted', async () => {
    const cidr = '198.51.100.0/24';
    const desc = 'Partner <b>lab</b> & "co"';
    await page.fill('#net-cidr', cidr);
    await page.fill('#net-description', desc);
    await page.click('#net-form button[type=submit]');
    const row = page.locator('#networks tr[data-cidr="' + cidr + '"]');
    await row.waitFor();
    assert.equal(await row.getAttribute('data-source'), 'ui');
    assert.equal(await row.locator('td').nth(1).textContent(), desc);
    assert.equal(await row.locator('b').count(), 0, 'the description is text, not markup');
    assert.match(await text('#networks-result'), /^Added 198\.51\.100\.0\/24/);
    // the same network again: refused next to the field
    await page.fill('#net-cidr', cidr);
    await page.click('#net-form button[type=submit]');
    await page.locator('#net-cidr-error').filter({hasText: /\S/}).waitFor();

    // traffic from now on: the capture's remote hosts of 198.51.100.0/24
    // are local now and appear among this month's hosts
    await sendCapture(exp.live_capture, Number(process.env.OF_NF_PORT));
    const host = await poll(async () => {
      const h = await apiJson('api/v1/hosts?sort=dl');
      return h.hosts.find((x) => x.ip.startsWith('198.51.100.'));
    }, 30, 'a host of ' + cidr);
    assert.equal(host.desc, desc);
    await page.reload();
    await goto('#/host');
    await page.fill('#host-search', '198.51.100.');
    const pick = page.locator('#host-list button[data-ip="' + host.ip + '"]');
    await pick.waitFor();
    assert.equal(await pick.locator('.desc').textContent(), desc);
    await pick.click();
    await page.locator('#host-title').filter({hasText: host.ip}).waitFor();
    assert.equal(await text('#host-desc'), desc);
    assert.match(await text('#host-network'), /^198\.51\.100\.0\/24/);
    await page.fill('#host-search', '');

    // delete it (two clicks: the first arms the button)
    await goto('#/settings');
    const del = page.locator('#networks tr[data-cidr="' + cidr + '"] button');
    await del.click();
    await del.click();
    await page.locator('#networks tr[data-cidr="' + cidr + '"]').waitFor({state: 'detached'});
    const nets = await apiJson('api/v1/networks');
    assert.deepEqual(nets.networks.map((n) => n.cidr).sort(), [...exp.config_networks].sort());
  });

  it('refuses a change without the CSRF token (403)', async () => {
    const body = {cidr: '10.99.0.0/16', description: 'no token'};
    const none = await call('api/v1/networks', {method: 'POST', body});
    assert.equal(none.status, 403);
    assert.equal(none.json.error, 'missing or wrong CSRF token');
    const wrong = await call('api/v1/networks', {method: 'POST', body, headers: {'X-CSRF-Token': 'x'.repeat(43)}});
    assert.equal(wrong.status, 403);
    const del = await call('api/v1/networks?cidr=10.20.0.0/24', {method: 'DELETE'});
    assert.equal(del.status, 403);
    const nets = await apiJson('api/v1/networks');
    assert.ok(!nets.networks.some((n) => n.cidr === '10.99.0.0/16'));
    // with the token the same request passes
    const ok = await call('api/v1/networks', {method: 'POST', body, csrf: true});
    assert.equal(ok.status, 201, ok.text);
    const gone = await call('api/v1/networks?cidr=10.99.0.0/16', {method: 'DELETE', csrf: true});
    assert.equal(gone.status, 204);
  });

  it('settings: collector status with rates between two polls, and the store', async () => {
    await goto('#/settings');
    const ex = page.locator('#exporters tr[data-addr="127.0.0.1"]');
    await ex.waitFor();
    const st = await apiJson('api/v1/status');
    const e = st.exporters.find((x) => x.addr === '127.0.0.1');
    assert.match(await ex.textContent(), new RegExp('1 in ' + e.sampling_rate));
    assert.match(await ex.textContent(), /netflow5/);
    // the second poll brings rates (a number per second, not "–")
    await page.waitForFunction(() => {
      const row = document.querySelector('#exporters tr[data-addr="127.0.0.1"]');
      return row && /\d\/s/.test(row.textContent);
    }, null, {timeout: 15000});
    const ports = await page.locator('#listeners tbody tr').evaluateAll((els) => els.map((r) => r.cells[1].textContent));
    for (const l of st.listeners) assert.ok(ports.includes(String(l.port)), 'listener ' + l.port);
    await page.locator('#store-size').waitFor();
    assert.match(await text('#store-size'), /^\d+(\.\d+)? (B|KB|MB|GB)$/);
    // the retention the daemon runs with (run_dashboard.py's config), not a fixed sentence
    assert.equal(st.store.retention_days, 3650);
    assert.equal(await text('#store-retention'),
      '5-minute data 3,650 days · hourly data 7,300 days · daily data and monthly totals for good');
    assert.equal(st.store.reserved_space, 0);
    assert.equal(await text('#store-reserve'), 'no disk check');
    assert.match(await text('#store-pruned'), /^0 5-minute rows, 0 hourly rows since the start · last check /);
  });

  it('users and API tokens', async () => {
    await goto('#/users');
    await page.locator('#users tr[data-user="' + USER + '"]').waitFor();
    assert.match(await page.locator('#users tr[data-user="' + USER + '"]').textContent(), /you/);
    // a bad name is refused next to the field
    await page.fill('#user-name', 'bad name!');
    await page.fill('#user-password', 'long enough password');
    await page.click('#user-form button[type=submit]');
    await page.locator('#user-name-error').filter({hasText: /\S/}).waitFor();
    // add, change the password, delete
    await page.fill('#user-name', 'operator');
    await page.fill('#user-password', 'short');
    await page.click('#user-form button[type=submit]');
    await page.locator('#user-password-error').filter({hasText: /\S/}).waitFor();
    await page.fill('#user-password', 'operator password 1');
    await page.click('#user-form button[type=submit]');
    const row = page.locator('#users tr[data-user="operator"]');
    await row.waitFor();
    await row.locator('button', {hasText: 'Change password'}).click();
    await page.fill('#pw-operator', 'operator password 2');
    await page.click('form[data-user="operator"] button[type=submit]');
    await page.locator('#users-result').filter({hasText: 'operator'}).waitFor();
    const del = row.locator('button', {hasText: 'Delete'});
    await del.click();
    await page.locator('#users tr[data-user="operator"] button.armed').click();
    await row.waitFor({state: 'detached'});
    assert.deepEqual((await apiJson('api/v1/users')).users.map((u) => u.name), [USER]);

    // a token: shown once, works as a bearer, revoked
    await page.fill('#token-name', 'billing');
    await page.click('#token-form button[type=submit]');
    await page.locator('#token-secret').waitFor();
    const token = await text('#token-secret');
    assert.match(token, /^of_/);
    const auth = {headers: {Authorization: 'Bearer ' + token}};
    assert.equal((await fetch(BASE + 'api/v1/traffic', auth)).status, 200);
    const list = await apiJson('api/v1/tokens');
    assert.ok(!JSON.stringify(list).includes(token), 'the token is not listed again');
    const trow = page.locator('#tokens tbody tr').filter({hasText: 'billing'});
    await trow.locator('button').click();
    await trow.locator('button').click();
    await trow.waitFor({state: 'detached'});
    assert.equal((await fetch(BASE + 'api/v1/traffic', auth)).status, 401);
  });

  it('reads well on a phone', async () => {
    await page.setViewportSize({width: 390, height: 844});
    for (const hash of ['#/', '#/host?ip=' + exp.host, '#/top', '#/settings', '#/users']) {
      await goto(hash);
      await page.waitForLoadState('networkidle');
      if (hash.startsWith('#/host')) {
        await page.locator('#chart-R[data-state="loaded"]').waitFor({state: 'attached'});
        const w = await page.locator('#chart-R').evaluate((e) => e.naturalWidth);
        assert.ok(w >= 300 && w <= 390, 'a chart ' + w + ' px wide on a 390 px screen');
      }
      const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(over <= 0, hash + ': the page is ' + over + ' px wider than the phone');
    }
    await page.setViewportSize({width: 1400, height: 900});
  });

  it('works under /of/ as well (behind a proxy that keeps the prefix)', async () => {
    const other = await page.context().newPage();
    other.on('pageerror', (e) => pageErrors.push('/of/: ' + e.message));
    try {
      await other.goto(BASE + 'of/#/top?class=total&dir=S&hours=1');
      await other.locator('#top-table tbody tr').first().waitFor();
      const src = await other.evaluate(() => [...document.scripts].map((s) => s.src));
      assert.ok(src.every((s) => s.startsWith(BASE + 'of/ui/')), src.join(' '));
    } finally {
      await other.close();
    }
  });

  it('logs out', async () => {
    await page.click('#logout');
    await page.locator('#login-form').waitFor();
    assert.equal((await call('api/v1/session')).status, 401);
    assert.equal((await call('api/v1/hosts')).status, 401);
  });

  it('shows the rate limit after repeated wrong passwords', async () => {
    let msg = '';
    for (let i = 0; i < 6 && !/too many/.test(msg); i++) {
      const answered = page.waitForResponse((r) => r.url().endsWith('/api/v1/login'));
      await login(USER, 'wrong ' + i);
      await answered;
      await page.locator('#login-error').waitFor({state: 'visible'});
      msg = await text('#login-error');
    }
    assert.match(msg, /^too many failed logins; try again in \d+ s$/);
  });

  it('threw no error in the page', () => {
    assert.deepEqual(pageErrors, []);
  });
});
