// Loads every page of a built tpm-site site in headless Chromium, served on
// 127.0.0.1, and fails on console errors, page errors, failed requests,
// broken images, broken internal links and charts without a size.
// Usage: node check-site.mjs SITE_DIR SCREENSHOT_DIR
import { createServer } from 'node:http';
import { readFile, readdir, stat, mkdir } from 'node:fs/promises';
import { join, extname, resolve, sep } from 'node:path';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { chromium } from 'playwright-core';

const site = resolve(process.argv[2] ?? 'public');
const shots = resolve(process.argv[3] ?? 'target/browser');
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.xml': 'application/xml', '.ics': 'text/calendar', '.csv': 'text/csv' };

async function walk(dir, out = []) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out); else out.push(p);
  }
  return out;
}

const server = createServer(async (req, res) => {
  try {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(site, '.' + path);
    if (!file.startsWith(site + sep)) { res.writeHead(400).end(); return; }
    const s = await stat(file).catch(() => null);
    if (!s || !s.isFile()) { res.writeHead(404, { 'content-type': 'text/html' }).end(await readFile(join(site, '404.html'))); return; }
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(await readFile(file));
  } catch (e) { res.writeHead(500).end(String(e)); }
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}/`;

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const pages = (await walk(site)).filter((f) => f.endsWith('.html') && !f.endsWith(`${sep}404.html`)).map((f) => f.slice(site.length + 1).split(sep).join('/')).sort();
const problems = [];
let charts = 0;
const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
for (const rel of pages) {
  const page = await context.newPage();
  const url = base + rel;
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`${rel}: console error: ${m.text()}`); });
  page.on('pageerror', (e) => problems.push(`${rel}: page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`${rel}: request failed: ${r.url()}`));
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`${rel}: HTTP ${r.status()} for ${r.url()}`); });
  const resp = await page.goto(url, { waitUntil: 'load' });
  if (!resp || resp.status() !== 200) problems.push(`${rel}: status ${resp?.status()}`);
  const info = await page.evaluate(() => ({
    brokenImages: [...document.images].filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src),
    links: [...document.querySelectorAll('a[href]')].map((a) => new URL(a.getAttribute('href'), location.href).href).filter((h) => h.startsWith(location.origin)),
    charts: [...document.querySelectorAll('figure.chart-figure svg')].map((s) => { const r = s.getBoundingClientRect(); return [r.width, r.height]; }),
    scripts: document.querySelectorAll('script').length,
    csp: !!document.querySelector('meta[http-equiv="Content-Security-Policy"]'),
  }));
  for (const src of info.brokenImages) problems.push(`${rel}: broken image ${src}`);
  for (const [w, h] of info.charts) { charts++; if (!(w > 50 && h > 20)) problems.push(`${rel}: chart without a size (${w}x${h})`); }
  if (info.scripts) problems.push(`${rel}: has ${info.scripts} script element(s)`);
  if (!info.csp) problems.push(`${rel}: no Content-Security-Policy meta`);
  for (const link of new Set(info.links)) {
    const u = new URL(link); u.hash = '';
    let p = decodeURIComponent(u.pathname); if (p.endsWith('/')) p += 'index.html';
    const s = await stat(resolve(site, '.' + p)).catch(() => null);
    if (!s) problems.push(`${rel}: broken link ${link}`);
  }
  await page.close();
}
const must = ['index.html', 'reports/latest/index.html'];
await mkdir(shots, { recursive: true });
for (const rel of must) {
  const page = await context.newPage();
  await page.goto(base + rel, { waitUntil: 'load' });
  const count = await page.evaluate(() => document.querySelectorAll('figure.chart-figure svg').length);
  if (count === 0) problems.push(`${rel}: no chart`);
  await page.screenshot({ path: join(shots, rel.replace(/\//g, '_').replace('.html', '.png')), fullPage: true });
  await page.close();
}
await browser.close();
server.close();
console.log(`browser: ${pages.length} pages loaded, ${charts} charts sized, ${problems.length} problems; screenshots in ${shots}`);
for (const p of problems) console.log(`  ${p}`);
console.log(`${pages.length - new Set(problems.map((p) => p.split(':')[0])).size} passed, ${new Set(problems.map((p) => p.split(':')[0])).size} failed`);
process.exit(problems.length ? 1 : 0);
