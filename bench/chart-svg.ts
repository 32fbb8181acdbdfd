/**
 * Renders chart panels as one SVG document, by hand: per panel a title, horizontal bars on
 * the panel's own linear scale, a grey reference line (the baseline) and a dashed red target.
 */
import type { ChartPanel } from './harness/result.js';

const WIDTH = 880;
const LABEL_W = 250;
const BAR_W = 480;
const BAR_H = 16;
const GAP = 6;
const TITLE_H = 28;
const PANEL_GAP = 18;
const COLORS = { bar: '#9aa5b1', accent: '#2f6fd0', target: '#c62828', reference: '#616e7c' };

/** Escapes XML specials; drops Markdown backticks. */
const escapeXml = (text: string) =>
  text
    .replace(/`/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');

function panelSvg(panel: ChartPanel, top: number): { svg: string; height: number } {
  const lines = [panel.target?.value, panel.reference?.value].filter((v) => v !== undefined);
  const max = Math.max(...panel.bars.map((bar) => bar.value), ...lines) * 1.08 || 1;
  const x = (value: number) => LABEL_W + (Math.max(0, value) / max) * BAR_W;
  const barsTop = top + TITLE_H;
  const barsBottom = barsTop + panel.bars.length * (BAR_H + GAP) - GAP;
  const parts = [
    `<text x="8" y="${top + 18}" font-weight="bold" font-size="14">${escapeXml(panel.title)}</text>`,
  ];
  // Lines first, so bars and their values are drawn over them.
  const line = (value: number, color: string, dash: string, label: string, dy: number) =>
    `<line x1="${x(value).toFixed(1)}" x2="${x(value).toFixed(1)}" y1="${barsTop - 4}" y2="${barsBottom + 4}" stroke="${color}" stroke-width="1.5"${dash}/>` +
    `<text x="${(x(value) + 3).toFixed(1)}" y="${barsBottom + 16 + dy}" fill="${color}" font-size="11">${escapeXml(label)}</text>`;
  if (panel.reference) {
    parts.push(line(panel.reference.value, COLORS.reference, '', panel.reference.label, 0));
  }
  if (panel.target) {
    const dy = panel.reference ? 12 : 0;
    parts.push(
      line(panel.target.value, COLORS.target, ' stroke-dasharray="5,3"', panel.target.label, dy),
    );
  }
  panel.bars.forEach((bar, i) => {
    const y = barsTop + i * (BAR_H + GAP);
    const fill = bar.highlight ? COLORS.accent : COLORS.bar;
    parts.push(
      `<text x="${LABEL_W - 8}" y="${y + BAR_H - 4}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${LABEL_W}" y="${y}" width="${(x(bar.value) - LABEL_W).toFixed(1)}" height="${BAR_H}" fill="${fill}"/>`,
      `<text x="${(x(bar.value) + 6).toFixed(1)}" y="${y + BAR_H - 4}" stroke="#ffffff" stroke-width="3" paint-order="stroke">${escapeXml(bar.text ?? String(bar.value))}</text>`,
    );
  });
  const footer = panel.reference && panel.target ? 30 : panel.reference || panel.target ? 18 : 4;
  return { svg: parts.join('\n'), height: barsBottom - top + footer };
}

export function renderChart(panels: readonly ChartPanel[], caption: string): string {
  let top = 36;
  const body: string[] = [];
  for (const panel of panels) {
    const { svg, height } = panelSvg(panel, top);
    body.push(svg);
    top += height + PANEL_GAP;
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${top}" viewBox="0 0 ${WIDTH} ${top}" font-family="Helvetica, Arial, sans-serif" font-size="12" fill="#1f2933">`,
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="8" y="22" font-size="16" font-weight="bold">${escapeXml(caption)}</text>`,
    ...body,
    '</svg>',
    '',
  ].join('\n');
}
