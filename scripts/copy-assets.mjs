// Copies the browser assets (plain JS, CSS, HTML) that tsc does not emit from src/ into dist/,
// keeping their paths, so the compiled modules find them beside themselves.
import { cpSync, existsSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ASSET_DIRS = ['src/charts', 'src/server/dashboard'];
const ASSET = /\.(js|css|html|svg)$/;

let copied = 0;
for (const dir of ASSET_DIRS) {
  const from = join(root, dir);
  if (!existsSync(from)) continue;
  for (const name of readdirSync(from)) {
    if (!ASSET.test(name)) continue;
    const to = join(root, 'dist', relative(join(root, 'src'), from), name);
    mkdirSync(dirname(to), { recursive: true });
    cpSync(join(from, name), to);
    copied++;
  }
}
console.log(`copied ${copied} browser assets into dist/`);
