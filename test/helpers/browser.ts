/** A real Chromium for page tests (Debian `chromium`), launched once per test file. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} not found: install it with \`apt-get install -y chromium\` (or run .ci/install-system-deps.sh)`);
  }
  return chromium.launch({
    executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** The browser globals the page checks use (the project compiles without the DOM lib). */
export interface CanvasLike {
  id: string;
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Painted pixels and distinct colours of every canvas on the page (an empty chart paints axes only). */
export const CANVAS_PIXELS = `Array.from(document.querySelectorAll('canvas')).filter((c) => c.offsetParent !== null).map((c) => {
  const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  let painted = 0; const colors = new Set();
  for (let i = 0; i < px.length; i += 4) {
    if (px[i + 3] === 0) continue;
    painted += 1;
    if (colors.size < 50) colors.add((px[i] << 16) | (px[i + 1] << 8) | px[i + 2]);
  }
  return { id: c.id, painted, colors: colors.size };
})`;
