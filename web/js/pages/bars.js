// Horizontal bars of one step's bytes per class, in the classes' chart
// colours, scaled to the largest (total).
import {el, swatch} from '../dom.js';
import {CLASSES} from '../classes.js';
import * as fmt from '../format.js';

// bytes: the 12 class counters of the step; seconds: its length.
export function classBars(bytes, seconds) {
  const max = Math.max(1, ...bytes);
  const box = el('div', {class: 'bars'});
  CLASSES.forEach((c, i) => {
    const b = bytes[i] || 0;
    const fill = el('span', {class: 'fill'});
    fill.style.width = ((100 * b) / max).toFixed(2) + '%';
    fill.style.background = c.color;
    const rate = fmt.rateMbps(b, seconds);
    box.append(
      el('div', {class: 'cls'}, swatch(c.color), c.label),
      el('div', {class: 'track', role: 'img', 'aria-label': c.label + ': ' + fmt.mbps(rate)}, fill),
      el('div', {class: 'val', title: fmt.int(b) + ' bytes', dataset: {class: c.name, bytes: String(b)}},
        fmt.mbps(rate)));
  });
  return box;
}
