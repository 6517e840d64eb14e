// Sends the export datagrams of a corpus capture (classic pcap of
// Ethernet/IPv4/UDP frames, as tcpdump writes them) to the collector over
// real UDP, as an exporter would, paced so that no socket buffer fills.
import fs from 'node:fs';
import dgram from 'node:dgram';

export function pcapPayloads(path) {
  const data = fs.readFileSync(path);
  const magic = data.readUInt32LE(0);
  const le = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  const u32 = (off) => (le ? data.readUInt32LE(off) : data.readUInt32BE(off));
  const out = [];
  let off = 24;
  while (off + 16 <= data.length) {
    const incl = u32(off + 8);
    const frame = data.subarray(off + 16, off + 16 + incl);
    off += 16 + incl;
    const ihl = (frame[14] & 0x0f) * 4;
    const udp = frame.subarray(14 + ihl);
    const len = udp.readUInt16BE(4);
    out.push(Buffer.from(udp.subarray(8, len)));
  }
  return out;
}

export async function sendCapture(path, port) {
  const sock = dgram.createSocket('udp4');
  const payloads = pcapPayloads(path);
  for (let i = 0; i < payloads.length; i++) {
    await new Promise((resolve, reject) => sock.send(payloads[i], port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
    if (i % 50 === 49) await new Promise((r) => setTimeout(r, 5));
  }
  sock.close();
  return payloads.length;
}
