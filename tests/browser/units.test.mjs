// The dashboard's pure modules (web/js/format.js, net.js, classes.js),
// run by node as they are served: units, number and time forms, and the
// longest-prefix match that names a host's network.
import {describe, it} from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';

// web/ has no package.json to tell node that its .js files are ES modules
// (the browser needs none), so they are loaded from their text. These
// three import nothing themselves.
async function load(name) {
  const text = fs.readFileSync(new URL('../../web/js/' + name, import.meta.url));
  return import('data:text/javascript;base64,' + text.toString('base64'));
}

const fmt = await load('format.js');
const {parseIp, parseCidr, networkOf} = await load('net.js');
const {CLASSES} = await load('classes.js');

describe('format', () => {
  it('bytes in 1024-based units', () => {
    const cases = [[0, '0 B'], [1023, '1023 B'], [1024, '1.00 KB'], [1536, '1.50 KB'],
      [10 * 1024, '10.0 KB'], [1023 * 1024, '1023 KB'], [1048576, '1.00 MB'], [7768944, '7.41 MB'],
      [1024 ** 3, '1.00 GB'], [5 * 1024 ** 4, '5.00 TB'], [-2048, '-2.00 KB'], [NaN, '–']];
    for (const [n, want] of cases) assert.equal(fmt.bytes(n), want, String(n));
  });

  it('rates in Mbit/s of 2^20 bits, as the charts', () => {
    assert.equal(fmt.rateMbps(1245645, 300), (1245645 * 8) / 300 / 1048576);
    assert.equal(fmt.mbps(0.0316783905029), '0.032 Mbit/s');
    assert.equal(fmt.mbps(12.345), '12.3 Mbit/s');
    assert.equal(fmt.mbps(123.4), '123 Mbit/s');
    assert.equal(fmt.mbps(0), '0 Mbit/s');
    assert.equal(fmt.mbps(0.0004), '< 0.001 Mbit/s');
  });

  it('ratios, counts, durations', () => {
    assert.equal(fmt.ratio(300, 100), '3.00 : 1');
    assert.equal(fmt.ratio(5, 0), '∞');
    assert.equal(fmt.ratio(0, 0), '–');
    assert.equal(fmt.int(12345678), '12,345,678');
    assert.equal(fmt.duration(42), '42 s');
    assert.equal(fmt.duration(3700), '1 h 1 min');
    assert.equal(fmt.duration(93784), '1 d 2 h');
    assert.equal(fmt.monthName(2024, 5), 'May 2024');
  });

  it('local times round-trip through the form fields', () => {
    const ts = 1715680800;
    assert.equal(fmt.fromLocalInput(fmt.localInput(ts)), ts);
    assert.ok(Number.isNaN(fmt.fromLocalInput('')));
    assert.match(fmt.dateTime(ts), /^\d{4}-\d\d-\d\d \d\d:\d\d$/);
  });
});

describe('net', () => {
  it('parses IPv4 and IPv6, refuses the rest', () => {
    assert.deepEqual(parseIp('10.20.0.12'), [10, 20, 0, 12]);
    assert.deepEqual(parseIp('::1'), [...new Array(15).fill(0), 1]);
    assert.deepEqual(parseIp('::ffff:1.2.3.4').slice(10), [255, 255, 1, 2, 3, 4]);
    assert.deepEqual(parseIp('1:2:3:4:5:6:7:8').slice(14), [0, 8]);
    for (const bad of ['10.20.0.256', '1.2.3', '1::2::3', '1:2:3:4:5:6:7:8:9', 'g::1', '', ' ', 'office']) {
      assert.equal(parseIp(bad), null, bad);
    }
    assert.equal(parseCidr('10.0.0.0/33'), null);
    assert.equal(parseCidr('2001:db8::/129'), null);
    assert.deepEqual(parseCidr('10.0.0.0/8'), {bytes: [10, 0, 0, 0], len: 8});
  });

  it('names the longest prefix that holds a host', () => {
    const nets = [{cidr: '10.20.0.0/24', description: 'a'}, {cidr: '10.20.0.0/25', description: 'b'},
      {cidr: '2001:db8:20::/64', description: 'c'}, {cidr: '0.0.0.0/0', description: 'all'}];
    assert.equal(networkOf('10.20.0.12', nets).description, 'b');
    assert.equal(networkOf('10.20.0.200', nets).description, 'a');
    assert.equal(networkOf('10.21.0.1', nets).description, 'all');
    assert.equal(networkOf('2001:db8:20::14', nets).description, 'c');
    assert.equal(networkOf('2001:db8:21::14', nets), null);
    assert.equal(networkOf('not an address', nets), null);
  });
});

describe('classes', () => {
  it('are the API\'s twelve, in its order, with the charts\' colours', () => {
    assert.deepEqual(CLASSES.map((c) => c.name),
      ['total', 'icmp', 'udp', 'tcp', 'mail', 'dns', 'vpn', 'ftp', 'web', 'proxy', 'quic', 'sip']);
    assert.equal(CLASSES[8].color, 'rgb(0,0,245)');
    assert.equal(CLASSES[0].color, 'rgb(47,133,217)');
  });
});
