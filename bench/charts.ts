/**
 * The benchmark's figures as pictures: grouped bar charts written as plain SVG (no library, nothing to fetch),
 * linked from RESULTS.md. One group per query shape, one bar per server, each bar labelled with its value.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import type { ThroughputFigures } from './throughput.ts';

interface Group {
  label: string;
  bars: { name: string; value: number }[];
}

const COLOURS = ['#2f6fdf', '#e07b28', '#3a9d5d', '#8f5bd6', '#c94256', '#6b7280'];
const WIDTH = 760;
const HEIGHT = 340;
const MARGIN = { top: 48, right: 16, bottom: 64, left: 64 };

const xml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const shown = (value: number) =>
  value === 0 ? '0' : value >= 100 ? value.toFixed(0) : value >= 10 ? value.toFixed(1) : value.toFixed(2);

/** A grouped bar chart; bars of the same name share a colour and a legend entry. */
export function barChart(title: string, unit: string, groups: Group[]): string {
  const names = [...new Set(groups.flatMap((g) => g.bars.map((b) => b.name)))];
  const max = Math.max(1e-9, ...groups.flatMap((g) => g.bars.map((b) => (Number.isFinite(b.value) ? b.value : 0))));
  const plotW = WIDTH - MARGIN.left - MARGIN.right;
  const plotH = HEIGHT - MARGIN.top - MARGIN.bottom;
  const groupW = plotW / Math.max(1, groups.length);
  const barW = Math.min(48, (groupW * 0.8) / Math.max(1, names.length));
  const y = (value: number) => MARGIN.top + plotH - (value / max) * plotH;
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="system-ui, sans-serif" font-size="12">`,
    // The chart's name for screen readers and the browser's tooltip, as for any image.
    `<title>${xml(title)}</title>`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#ffffff"/>`,
    `<text x="${MARGIN.left}" y="24" font-size="15" font-weight="600">${xml(title)}</text>`,
    `<text x="8" y="${MARGIN.top - 12}" fill="#555">${xml(unit)}</text>`,
  ];
  for (let i = 0; i <= 4; i++) {
    const value = (max * i) / 4;
    parts.push(
      `<line x1="${MARGIN.left}" x2="${WIDTH - MARGIN.right}" y1="${y(value)}" y2="${y(value)}" stroke="#e5e7eb"/>`,
      `<text x="${MARGIN.left - 6}" y="${y(value) + 4}" text-anchor="end" fill="#555">${shown(value)}</text>`,
    );
  }
  groups.forEach((group, g) => {
    const left = MARGIN.left + g * groupW + (groupW - barW * group.bars.length) / 2;
    group.bars.forEach((bar, b) => {
      if (!Number.isFinite(bar.value)) return;
      const x = left + b * barW;
      const colour = COLOURS[names.indexOf(bar.name) % COLOURS.length];
      parts.push(
        `<rect x="${x + 2}" y="${y(bar.value)}" width="${barW - 4}" height="${MARGIN.top + plotH - y(bar.value)}" fill="${colour}"><title>${xml(`${bar.name}: ${shown(bar.value)} ${unit}`)}</title></rect>`,
        `<text x="${x + barW / 2}" y="${y(bar.value) - 4}" text-anchor="middle" font-size="10">${shown(bar.value)}</text>`,
      );
    });
    parts.push(
      `<text x="${MARGIN.left + g * groupW + groupW / 2}" y="${MARGIN.top + plotH + 18}" text-anchor="middle">${xml(group.label)}</text>`,
    );
  });
  names.forEach((name, i) => {
    const x = MARGIN.left + i * 140;
    parts.push(
      `<rect x="${x}" y="${HEIGHT - 22}" width="12" height="12" fill="${COLOURS[i % COLOURS.length]}"/>`,
      `<text x="${x + 18}" y="${HEIGHT - 12}">${xml(name)}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

/** Splits a load row's target (`gateway nested`, `Apollo user(id)`) into server and query. */
function byQuery(t: ThroughputFigures, pick: (row: ThroughputFigures['load'][number]) => number): Group[] {
  const groups = new Map<string, Group>();
  for (const row of t.load) {
    const space = row.target.indexOf(' ');
    if (space < 0) continue;
    const server = row.target.slice(0, space);
    const query = row.target.slice(space + 1);
    if (/worker/i.test(query)) continue;
    const group = groups.get(query) ?? { label: query, bars: [] };
    group.bars.push({ name: server, value: pick(row) });
    groups.set(query, group);
  }
  return [...groups.values()];
}

/** Writes the throughput, latency and CPU charts into `dir`; returns their file names. */
export function writeCharts(t: ThroughputFigures, dir: URL): string[] {
  mkdirSync(dir, { recursive: true });
  const charts: [string, string][] = [
    [
      'throughput.svg',
      barChart(
        'Requests per second under load, by query',
        'requests/s',
        byQuery(t, (r) => r.requestsPerSecond),
      ),
    ],
    [
      'latency-p99.svg',
      barChart(
        'p99 latency under load, by query',
        'ms',
        byQuery(t, (r) => r.p99),
      ),
    ],
    [
      'cpu.svg',
      barChart(
        'CPU per request, by query',
        'ms',
        byQuery(t, (r) => r.cpuMsPerRequest),
      ),
    ],
    [
      'sequential.svg',
      barChart('Concurrency 1: p50 and p99 against a direct call', 'ms', [
        { label: 'p50', bars: t.sequential.map((r) => ({ name: r.target, value: r.p50 })) },
        { label: 'p99', bars: t.sequential.map((r) => ({ name: r.target, value: r.p99 })) },
      ]),
    ],
  ];
  for (const [name, svg] of charts) writeFileSync(new URL(name, dir), svg);
  return charts.map(([name]) => name);
}
