/**
 * Output of `bountybot forecast`: the `--json` array, the readable table, the Markdown table of
 * BENCHMARKS.md and the `--predictions-out` CSV.
 */
import { formatMinutes } from './forecast-eval.js';
/** ISO 8601 UTC without milliseconds when they are 0 (the traces' own style). */
export function isoTime(ms) {
    const iso = new Date(ms).toISOString();
    return iso.endsWith('.000Z') ? `${iso.slice(0, -5)}Z` : iso;
}
/** The `--json` contract: one object per model. */
export function forecastJson(ev) {
    return ev.scores.map((s) => ({
        model: s.model, wape: s.wape, mape: s.mape, mase: s.mase, accuracy: s.accuracy, n: s.n, fallbacks: s.fallbacks,
    }));
}
/** `timestamp,actual,predicted`: window start t (ISO) and mean rates per minute over [t, t+H). */
export function predictionsCsv(p) {
    const lines = ['timestamp,actual,predicted'];
    for (let i = 0; i < p.tMs.length; i++) {
        lines.push(`${isoTime(p.tMs[i] ?? 0)},${String(p.actual[i] ?? 0)},${String(p.predicted[i] ?? 0)}`);
    }
    return `${lines.join('\n')}\n`;
}
const pct = (v) => (v === null ? 'n/a' : `${(v * 100).toFixed(2)} %`);
const num = (v) => (v === null ? 'n/a' : v.toFixed(3));
function describeWindow(ev) {
    return `${ev.windows} windows of ${formatMinutes(ev.horizonMinutes)} min (${ev.horizonBins} bin${ev.horizonBins === 1 ? '' : 's'} ` +
        `of ${formatMinutes(ev.binMinutes)} min), starting ${isoTime(ev.firstWindowMs)} … ${isoTime(ev.lastWindowMs)}`;
}
/** The readable table printed without --json. */
export function forecastTable(ev, models) {
    const header = ['model', 'WAPE', 'MAPE', 'MASE', 'accuracy', 'n', 'fallbacks'];
    const rows = ev.scores.map((s) => [s.model, pct(s.wape), pct(s.mape), num(s.mase), pct(s.accuracy), String(s.n), String(s.fallbacks)]);
    const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => (r[c] ?? '').length)));
    const line = (cells) => cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
    const out = [
        `trace: ${ev.source} (${ev.bins} bins of ${formatMinutes(ev.binMinutes)} min)`,
        `walk-forward: mean arrival rate per minute over [t, t+${formatMinutes(ev.horizonMinutes)} min) at every bin boundary t`,
        `scored: ${describeWindow(ev)}`,
        `MASE scale (one-step naive MAE of the scored part): ${ev.maseScale.toFixed(4)} per minute`,
        '',
        line(header),
        line(widths.map((w) => '-'.repeat(w))),
        ...rows.map(line),
        '',
        ...models.map((m) => `  ${m.name}: ${m.description}`),
        `evaluated in ${(ev.wallMs / 1000).toFixed(2)} s`,
    ];
    return `${out.join('\n')}\n`;
}
/** A Markdown table of several evaluations of one trace (one column group per horizon). */
export function forecastMarkdown(evs) {
    const first = evs[0];
    if (first === undefined)
        return '';
    const head = ['model', ...evs.flatMap((e) => {
            const h = formatMinutes(e.horizonMinutes);
            return [`WAPE ${h} min`, `MAPE ${h} min`, `MASE ${h} min`, `accuracy ${h} min`];
        })];
    const lines = [`| ${head.join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`];
    for (const s of first.scores) {
        const cells = [s.model];
        for (const e of evs) {
            const r = e.scores.find((x) => x.model === s.model);
            cells.push(pct(r?.wape ?? null), pct(r?.mape ?? null), num(r?.mase ?? null), pct(r?.accuracy ?? null));
        }
        lines.push(`| ${cells.join(' | ')} |`);
    }
    lines.push('', ...evs.map((e) => `- H = ${formatMinutes(e.horizonMinutes)} min: ${describeWindow(e)}; evaluated in ${(e.wallMs / 1000).toFixed(2)} s.`));
    const fallbacks = evs.flatMap((e) => e.scores.filter((s) => s.fallbacks > 0).map((s) => `${s.model} ${s.fallbacks}/${s.n} at ${formatMinutes(e.horizonMinutes)} min`));
    if (fallbacks.length > 0)
        lines.push(`- Forecasts made by a model's fallback rule (not enough history for its own): ${fallbacks.join(', ')}.`);
    return `${lines.join('\n')}\n`;
}
//# sourceMappingURL=forecast-output.js.map