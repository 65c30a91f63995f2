/**
 * The dashboard's files, served by the controller's HTTP server at `/` and `/assets/…`: our page,
 * script and style (src/server/dashboard/, copied into dist by the build), the shared chart
 * helpers and Chart.js's UMD bundle from node_modules. Nothing comes from another origin, and the
 * page's Content-Security-Policy says so.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chartJsPath, chartKitPath } from '../charts/assets.js';

export interface DashboardAsset {
  contentType: string;
  path: () => string;
}

const ownFile = (name: string) => (): string => fileURLToPath(new URL(`./dashboard/${name}`, import.meta.url));

/** URL path → file. */
export const DASHBOARD_ASSETS: Readonly<Record<string, DashboardAsset>> = {
  '/': { contentType: 'text/html; charset=utf-8', path: ownFile('index.html') },
  '/assets/dashboard.js': { contentType: 'text/javascript; charset=utf-8', path: ownFile('dashboard.js') },
  '/assets/dashboard-charts.js': { contentType: 'text/javascript; charset=utf-8', path: ownFile('dashboard-charts.js') },
  '/assets/dashboard.css': { contentType: 'text/css; charset=utf-8', path: ownFile('dashboard.css') },
  '/assets/chart-kit.js': { contentType: 'text/javascript; charset=utf-8', path: chartKitPath },
  '/assets/chart.umd.js': { contentType: 'text/javascript; charset=utf-8', path: chartJsPath },
};

/** Same origin only: scripts, styles and API calls from this server, nothing inline, no framing. */
export const DASHBOARD_CSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
  "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/** Files are read once and kept (they change only with a new build). */
export class DashboardFiles {
  private readonly cache = new Map<string, string>();

  /** The file behind `urlPath`; throws naming the missing file (a build that did not copy the assets). */
  read(urlPath: string): { body: string; contentType: string } | undefined {
    const asset = DASHBOARD_ASSETS[urlPath];
    if (asset === undefined) return undefined;
    let body = this.cache.get(urlPath);
    if (body === undefined) {
      const file = asset.path();
      try {
        body = readFileSync(file, 'utf8');
      } catch (err) {
        throw new Error(`dashboard file ${file} is missing (${(err as NodeJS.ErrnoException).code ?? 'unreadable'}); rebuild with \`npm run build\``);
      }
      this.cache.set(urlPath, body);
    }
    return { body, contentType: asset.contentType };
  }
}
