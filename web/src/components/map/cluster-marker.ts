/**
 * The HTML element drawn for a cluster: a button with a ring split by status and the count in the
 * middle. HTML rather than a symbol layer because the offline style has no glyphs to draw text with.
 */
import { DISPLAY_STATUSES, STATUS_COLORS, type StatusCounts } from '../../domain/station-status';

const SVG_NS = 'http://www.w3.org/2000/svg';

export function clusterSizePx(total: number): number {
  if (total >= 1000) return 64;
  if (total >= 100) return 52;
  if (total >= 10) return 42;
  return 34;
}

/** Arc segments of the ring as [status colour, start fraction, end fraction]. */
export function ringSegments(counts: StatusCounts): [string, number, number][] {
  const total = DISPLAY_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  if (total === 0) return [];
  const segments: [string, number, number][] = [];
  let start = 0;
  for (const status of DISPLAY_STATUSES) {
    if (counts[status] === 0) continue;
    const end = start + counts[status] / total;
    segments.push([STATUS_COLORS[status], start, end]);
    start = end;
  }
  return segments;
}

function arc(size: number, stroke: number, from: number, to: number, color: string): SVGElement {
  const r = (size - stroke) / 2;
  const c = size / 2;
  if (to - from >= 0.9999) {
    const circle = document.createElementNS(SVG_NS, 'circle');
    circle.setAttribute('cx', String(c));
    circle.setAttribute('cy', String(c));
    circle.setAttribute('r', String(r));
    circle.setAttribute('fill', 'none');
    circle.setAttribute('stroke', color);
    circle.setAttribute('stroke-width', String(stroke));
    return circle;
  }
  const a0 = 2 * Math.PI * (from - 0.25);
  const a1 = 2 * Math.PI * (to - 0.25);
  const largeArc = to - from > 0.5 ? 1 : 0;
  const path = document.createElementNS(SVG_NS, 'path');
  path.setAttribute(
    'd',
    `M ${c + r * Math.cos(a0)} ${c + r * Math.sin(a0)} A ${r} ${r} 0 ${largeArc} 1 ${c + r * Math.cos(a1)} ${c + r * Math.sin(a1)}`,
  );
  path.setAttribute('fill', 'none');
  path.setAttribute('stroke', color);
  path.setAttribute('stroke-width', String(stroke));
  return path;
}

export function renderClusterMarker(button: HTMLButtonElement, counts: StatusCounts, label: string): void {
  const total = DISPLAY_STATUSES.reduce((sum, s) => sum + counts[s], 0);
  const size = clusterSizePx(total);
  const stroke = Math.max(5, Math.round(size / 7));
  button.className = 'vm-cluster';
  button.type = 'button';
  button.style.width = `${size}px`;
  button.style.height = `${size}px`;
  button.setAttribute('aria-label', label);
  button.title = label;
  button.dataset['testid'] = 'map-cluster';
  button.dataset['count'] = String(total);

  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('viewBox', `0 0 ${size} ${size}`);
  svg.setAttribute('aria-hidden', 'true');
  for (const [color, from, to] of ringSegments(counts)) svg.append(arc(size, stroke, from, to, color));

  const text = document.createElement('span');
  text.className = 'vm-cluster__count';
  text.textContent = String(total);
  button.replaceChildren(svg, text);
}
