import { chromium } from 'playwright-core';
const url = process.argv[2]; const out = process.argv[3]; const w = Number(process.argv[4] ?? 1280); const h = Number(process.argv[5] ?? 800);
const b = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
const p = await (await b.newContext({ viewport: { width: w, height: h } })).newPage();
const errs = []; p.on('console', m => { if (m.type() === 'error') errs.push(m.text()); }); p.on('pageerror', e => errs.push(String(e)));
await p.goto(url); await p.waitForSelector('body[data-rendered="yes"]', { timeout: 15000 });
await p.screenshot({ path: out, fullPage: process.argv[6] !== "view" });
console.log('errors', errs, 'scrollW', await p.evaluate(() => [document.documentElement.scrollWidth, innerWidth]));
await b.close();
