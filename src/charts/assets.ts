/**
 * The browser-side chart code, shared by the simulation report (inlined into one offline HTML
 * file) and the live dashboard (served by the controller at /assets/): Chart.js's UMD bundle
 * from node_modules and our chart-kit.js beside this module (copied into dist by the build).
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Path of Chart.js's UMD bundle ("chart.js" resolves to dist/chart.cjs; the package does not export the UMD path). */
export function chartJsPath(): string {
  return join(dirname(createRequire(import.meta.url).resolve('chart.js')), 'chart.umd.js');
}

/** Path of chart-kit.js (window.BountybotCharts), next to this module in src/ and in dist/. */
export function chartKitPath(): string {
  return fileURLToPath(new URL('./chart-kit.js', import.meta.url));
}

/** Text safe to inline in a <script> element: it can never close the element early. */
function inlineSafe(text: string): string {
  return text.replace(/<\/script/gi, '<\\/script');
}

/** The Chart.js UMD bundle, for inlining. */
export function chartJsBundle(): string {
  return inlineSafe(readFileSync(chartJsPath(), 'utf8'));
}

/** chart-kit.js, for inlining. */
export function chartKitSource(): string {
  return inlineSafe(readFileSync(chartKitPath(), 'utf8'));
}
