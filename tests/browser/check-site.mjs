// Loads every page of a built tpm-site site in headless Chromium, served on
// 127.0.0.1, and fails on console errors, page errors, failed requests,
// broken images, broken internal links and charts without a size. Then:
// - at 1400 px the dependencies page's diagram fits without horizontal scroll;
// - at 320 px no page scrolls sideways and no chart text renders below 10 CSS px
//   (a chart may scroll inside its own box, the page may not);
// - axe-core over every page, light and dark (prefers-color-scheme), with zero
//   violations of WCAG 2.2 A/AA and best practice;
// - the newest report printed to PDF (A4 and Letter): no page without content
//   and no chart split across pages (see printCheck below for how).
// With a second site (a generated size-M program) the same axe, width and
// diagram checks run over a fixed sample of its pages.
// Usage: node check-site.mjs SITE_DIR OUTDIR [SAMPLE_SITE_DIR]
import { createServer } from 'node:http';
import { readFile, readdir, stat, mkdir, writeFile } from 'node:fs/promises';
import { join, extname, resolve, sep } from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const site = resolve(process.argv[2] ?? 'public');
const shots = resolve(process.argv[3] ?? 'target/browser');
const sample = process.argv[4] ? resolve(process.argv[4]) : null;
const axeSource = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json', '.xml': 'application/xml', '.ics': 'text/calendar', '.csv': 'text/csv' };
const started = Date.now();

async function walk(dir, out = []) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out); else out.push(p);
  }
  return out;
}

async function serve(root) {
  const server = createServer(async (req, res) => {
    try {
      let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      if (path.endsWith('/')) path += 'index.html';
      const file = resolve(root, '.' + path);
      if (!file.startsWith(root + sep)) { res.writeHead(400).end(); return; }
      const s = await stat(file).catch(() => null);
      if (!s || !s.isFile()) { res.writeHead(404, { 'content-type': 'text/html' }).end(await readFile(join(root, '404.html'))); return; }
      res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(await readFile(file));
    } catch (e) { res.writeHead(500).end(String(e)); }
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}/` };
}

async function htmlPages(root) {
  return (await walk(root)).filter((f) => f.endsWith('.html') && !f.endsWith(`${sep}404.html`)).map((f) => f.slice(root.length + 1).split(sep).join('/')).sort();
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const problems = [];
const { server, base } = await serve(site);
const pages = await htmlPages(site);
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
    description: document.querySelector('meta[name="description"]')?.getAttribute('content') ?? '',
  }));
  for (const src of info.brokenImages) problems.push(`${rel}: broken image ${src}`);
  for (const [w, h] of info.charts) { charts++; if (!(w > 50 && h > 20)) problems.push(`${rel}: chart without a size (${w}x${h})`); }
  if (info.scripts) problems.push(`${rel}: has ${info.scripts} script element(s)`);
  if (!info.csp) problems.push(`${rel}: no Content-Security-Policy meta`);
  if (info.description.trim().length < 20) problems.push(`${rel}: no meta description`);
  for (const link of new Set(info.links)) {
    const u = new URL(link); u.hash = '';
    let p = decodeURIComponent(u.pathname); if (p.endsWith('/')) p += 'index.html';
    const s = await stat(resolve(site, '.' + p)).catch(() => null);
    if (!s) problems.push(`${rel}: broken link ${link}`);
  }
  await page.close();
}
await context.close();
const must = ['index.html', 'reports/latest/index.html'];
await mkdir(shots, { recursive: true });
{
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  for (const rel of must) {
    const page = await ctx.newPage();
    await page.goto(base + rel, { waitUntil: 'load' });
    const count = await page.evaluate(() => document.querySelectorAll('figure.chart-figure svg').length);
    if (count === 0) problems.push(`${rel}: no chart`);
    await page.screenshot({ path: join(shots, rel.replace(/\//g, '_').replace('.html', '.png')), fullPage: true });
    await page.close();
  }
  await ctx.close();
}
const timeLoad = Date.now();

// The dependencies page's diagram fits a 1400 px window: the box that holds
// it (the figure or its scroll container) does not scroll sideways.
async function diagramFits(b, label) {
  const ctx = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(b + 'dependencies/index.html', { waitUntil: 'load' });
  const r = await page.evaluate(() => {
    const svg = document.querySelector('figure.chart-figure svg');
    if (!svg) return { missing: true };
    const out = [];
    for (let el = svg.parentElement; el && el !== document.body; el = el.parentElement) {
      if (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX !== 'visible') out.push(`${el.tagName.toLowerCase()}.${el.className} scrolls ${el.scrollWidth} > ${el.clientWidth}`);
    }
    const page = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    return { out, page, w: svg.getBoundingClientRect().width };
  });
  await page.screenshot({ path: join(shots, `${label}_dependencies_1400.png`), fullPage: false });
  if (r.missing) problems.push(`${label} dependencies: no diagram`);
  else {
    for (const o of r.out) problems.push(`${label} dependencies at 1400 px: the diagram needs a horizontal scroll (${o})`);
    if (r.page > 0) problems.push(`${label} dependencies at 1400 px: the page scrolls sideways by ${r.page} px`);
  }
  await ctx.close();
}

// At 320 px: the page never scrolls sideways, and every text of every chart
// renders at 10 CSS px or more (font size in user units times the SVG's
// on-screen scale).
async function narrow(b, rels, label) {
  const ctx = await browser.newContext({ viewport: { width: 320, height: 640 } });
  const page = await ctx.newPage();
  for (const rel of rels) {
    await page.goto(b + rel, { waitUntil: 'load' });
    const r = await page.evaluate(() => {
      const de = document.documentElement;
      const over = de.scrollWidth - de.clientWidth;
      let small = null; let count = 0;
      for (const svg of document.querySelectorAll('figure.chart-figure svg')) {
        for (const t of svg.querySelectorAll('text')) {
          const m = t.getScreenCTM(); if (!m) continue;
          const px = parseFloat(getComputedStyle(t).fontSize) * Math.hypot(m.a, m.b);
          if (px < 9.95) { count++; if (!small || px < small.px) small = { px: Math.round(px * 100) / 100, text: t.textContent.slice(0, 40) }; }
        }
      }
      let culprit = '';
      if (over > 0) {
        const el = [...document.querySelectorAll('body *')].find((e) => e.getBoundingClientRect().right > de.clientWidth + 1 && !e.closest('.chart-figure, .table-scroll, .table-wrap'));
        if (el) culprit = `${el.tagName.toLowerCase()}.${el.className?.baseVal ?? el.className}`;
      }
      return { over, small, count, culprit };
    });
    if (r.over > 0) problems.push(`${label}${rel} at 320 px: the page scrolls sideways by ${r.over} px (${r.culprit})`);
    if (r.small) problems.push(`${label}${rel} at 320 px: ${r.count} chart text(s) below 10 CSS px, smallest ${r.small.px} px ("${r.small.text}")`);
    if (rel === 'reports/latest/index.html' || rel === 'deliverables/index.html') await page.screenshot({ path: join(shots, `${label}${rel.replace(/\//g, '_').replace('.html', '')}_320.png`), fullPage: true });
  }
  await ctx.close();
}

// axe-core, injected through the DevTools protocol (the pages' CSP forbids
// inline scripts, and evaluate is not subject to it), over each page in light
// and dark mode.
const axeTags = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];
let axeRuns = 0;
async function axe(b, rels, label) {
  for (const scheme of ['light', 'dark']) {
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, colorScheme: scheme });
    const page = await ctx.newPage();
    for (const rel of rels) {
      await page.goto(b + rel, { waitUntil: 'load' });
      await page.evaluate(axeSource);
      const v = await page.evaluate(async (tags) => {
        const res = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
        return res.violations.map((x) => ({ id: x.id, n: x.nodes.length, target: x.nodes[0]?.target?.join(' '), summary: x.nodes[0]?.failureSummary?.split('\n').slice(0, 2).join(' ') }));
      }, axeTags);
      axeRuns++;
      for (const x of v) problems.push(`${label}${rel} (${scheme}): axe ${x.id} on ${x.n} node(s), e.g. ${x.target}: ${x.summary}`);
    }
    await ctx.close();
  }
}

// Print: Chromium prints the newest report to PDF; poppler's pdftotext gives
// the text of each page. Before printing, the test writes two invisible
// markers into every chart (a 1-unit text at the SVG's top edge and one at its
// bottom edge, which changes no layout since the SVG keeps its own size); a
// chart is split when its two markers land on different pages. A page without
// content is one whose only text is the site footer (or nothing).
async function printCheck(b) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await ctx.newPage();
  await page.goto(b + 'reports/latest/index.html', { waitUntil: 'load' });
  const n = await page.evaluate(() => {
    const ns = 'http://www.w3.org/2000/svg';
    const svgs = [...document.querySelectorAll('figure.chart-figure svg')];
    svgs.forEach((svg, i) => {
      const vb = svg.viewBox.baseVal;
      for (const [name, y] of [['top', vb.y + 1], ['bottom', vb.y + vb.height - 0.5]]) {
        const t = document.createElementNS(ns, 'text');
        t.setAttribute('x', String(vb.x + 1)); t.setAttribute('y', String(y));
        t.setAttribute('font-size', '1'); t.setAttribute('fill', '#fefefe');
        t.textContent = `zzmark${name}${i}zz`;
        svg.appendChild(t);
      }
    });
    return svgs.length;
  });
  // Collapsed sections print expanded: in print media every visible
  // <details> shows its content.
  await page.emulateMedia({ media: 'print' });
  const collapsed = await page.evaluate(() => [...document.querySelectorAll('details')].filter((d) => d.checkVisibility())
    .flatMap((d) => [...d.children].filter((c) => c.tagName !== 'SUMMARY' && !c.checkVisibility())).length);
  if (collapsed) problems.push(`print: ${collapsed} part(s) of collapsed sections stay hidden on paper`);
  await page.emulateMedia({ media: null }); // page.pdf() prints with print media only when none is emulated
  const footer = await page.evaluate(() => document.querySelector('.site-footer')?.innerText ?? '');
  const footerWords = new Set(footer.split(/\s+/).filter(Boolean));
  for (const format of ['A4', 'Letter']) {
    const pdf = join(shots, `report-${format}.pdf`);
    await page.pdf({ path: pdf, format, printBackground: true });
    const pageTexts = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
    if (pageTexts.length && pageTexts[pageTexts.length - 1].trim() === '') pageTexts.pop();
    pageTexts.forEach((t, i) => {
      const words = t.split(/\s+/).filter((w) => w && !footerWords.has(w));
      if (words.length === 0) problems.push(`print ${format}: page ${i + 1} of ${pageTexts.length} has no content`);
    });
    for (let i = 0; i < n; i++) {
      const top = pageTexts.findIndex((t) => t.includes(`zzmarktop${i}zz`));
      const bottom = pageTexts.findIndex((t) => t.includes(`zzmarkbottom${i}zz`));
      if (top < 0 || bottom < 0) problems.push(`print ${format}: chart ${i + 1} missing from the PDF`);
      else if (top !== bottom) problems.push(`print ${format}: chart ${i + 1} split across pages ${top + 1} and ${bottom + 1}`);
    }
    console.log(`print ${format}: ${pageTexts.length} pages, ${n} charts`);
  }
  await ctx.close();
}

// CHECK_ONLY=narrow,axe,print,fit,sample runs a subset (for development).
const only = process.env.CHECK_ONLY ? new Set(process.env.CHECK_ONLY.split(',')) : null;
const want = (k) => !only || only.has(k);
if (want('fit')) await diagramFits(base, '');
if (want('narrow')) await narrow(base, pages, '');
const timeNarrow = Date.now();
if (want('axe')) await axe(base, pages, '');
const timeAxe = Date.now();
if (want('print')) await printCheck(base);
let samplePages = [];
let sampleServer = null;
if (sample && want('sample')) {
  const s = await serve(sample);
  sampleServer = s.server;
  const all = await htmlPages(sample);
  const pick = (prefix, k) => {
    const xs = all.filter((p) => p.startsWith(prefix) && p.split('/').length === 3 && !p.startsWith(prefix + 'latest/'));
    return Array.from({ length: Math.min(k, xs.length) }, (_, i) => xs[Math.floor((i * xs.length) / k)]);
  };
  samplePages = ['index.html', 'dependencies/index.html', 'risks/index.html', 'decisions/index.html', 'reports/latest/index.html',
    ...pick('reports/', 1), ...pick('teams/', 2), ...pick('deliverables/', 5)];
  await diagramFits(s.base, 'M ');
  await narrow(s.base, samplePages, 'M ');
  await axe(s.base, samplePages, 'M ');
}
await browser.close();
server.close();
sampleServer?.close();
const secs = (a, b) => ((b - a) / 1000).toFixed(1);
console.log(`browser: ${pages.length} pages loaded, ${charts} charts sized, ${axeRuns} axe runs (${samplePages.length} sample pages), ${problems.length} problems; screenshots in ${shots}`);
console.log(`time: load ${secs(started, timeLoad)} s, 320 px ${secs(timeLoad, timeNarrow)} s, axe ${secs(timeNarrow, timeAxe)} s, print + sample ${secs(timeAxe, Date.now())} s`);
await writeFile(join(shots, 'problems.txt'), problems.join('\n') + '\n');
for (const p of problems) console.log(`  ${p}`);
const failed = new Set(problems.map((p) => p.split(':')[0])).size;
console.log(`${problems.length ? 'FAILED' : 'ok'}: ${failed} page(s) or checks with problems`);
process.exit(problems.length ? 1 : 0);
