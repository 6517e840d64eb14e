// The traffic classes in the API's order, with the charts' colours
// (SPEC "The chart"), so that a swatch here matches a band on a chart.
export const CLASSES = [
  {name: 'total', label: 'Total', color: 'rgb(47,133,217)'},
  {name: 'icmp', label: 'ICMP', color: 'rgb(240,0,0)'},
  {name: 'udp', label: 'UDP', color: 'rgb(140,0,0)'},
  {name: 'tcp', label: 'TCP', color: 'rgb(0,220,0)'},
  {name: 'mail', label: 'Mail', color: 'rgb(175,16,159)'},
  {name: 'dns', label: 'DNS', color: 'rgb(252,93,0)'},
  {name: 'vpn', label: 'VPN', color: 'rgb(240,240,0)'},
  {name: 'ftp', label: 'FTP', color: 'rgb(174,174,174)'},
  {name: 'web', label: 'Web', color: 'rgb(0,0,245)'},
  {name: 'proxy', label: 'Proxy', color: 'rgb(160,156,254)'},
  {name: 'quic', label: 'QUIC', color: 'rgb(68,120,74)'},
  {name: 'sip', label: 'SIP', color: 'rgb(54,49,22)'},
];

export const DIRS = [
  {value: 'R', label: 'Download'},
  {value: 'S', label: 'Upload'},
];

export function classByName(name) {
  return CLASSES.find((c) => c.name === name) || null;
}
