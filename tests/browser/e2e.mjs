// The dashboard end to end in Debian's headless Chromium (playwright-core, no downloaded browser):
// a generated world imported into a temporary store, `fanzha serve` on a free loopback port, then a
// person's path: log in (landing on the case queue), report a case with the form's pickers (China
// time, the region by name, identifier and payment rows; a bad amount and an unknown region said
// beside their fields), see its trace (Sankey drawn, freeze plan rows), make the freeze orders, find the case in the queue (pages, a filter, CSV),
// take it, add a note, upload a file and see the timeline say so, print an order's notice (A4, print media, as a PDF beside the screenshots); and a look
// at every other page in both languages, each read for its language (a zh-CN page shows no English
// words but ids and codes, an English page no Chinese label: language.mjs). Also what an attacker
// tries: the session must stay out of script's reach (an HttpOnly cookie, nothing in storage), and
// account numbers carrying markup, from a posted case and from an imported transfers.csv, must
// show as text when their nodes in the money-flow chart are hovered (the test fails if their
// script runs). A profile (画像) opens from a search hit (its money, counterparties, cases), a
// counterparty's from it, a case from it; an auditor lands on the audit log, verifies it, pages and
// filters it. The gang of one case is explored: cases and shared identifiers drawn, the case
// highlighted, an identifier expanded and collapsed by clicks, a case's details, the evidence kind
// and report day filters. A bank liaison (its institution's orders sent by the centre) lands on its
// orders to answer, sees no other institution's, executes one and rejects one from the page, and
// the centre's orders page shows the answers; a hotline operator lands on its region's warning
// queue and records an outcome. Screenshots are kept in <build dir>/browser-artifacts/.
//
// Usage: node tests/browser/e2e.mjs path/to/fanzha
import { spawn, spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { catalogChinese, englishWords } from './language.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '../..');
const fanzha = path.resolve(process.argv[2] ?? path.join(repo, 'build/fanzha'));
const artifacts = path.join(path.dirname(fanzha), 'browser-artifacts');
const chromiumPath = process.env.CHROMIUM ?? '/usr/bin/chromium';
const require = createRequire(path.join(repo, 'web/package.json'));
const { chromium } = require('playwright-core');

let passed = 0;
let failed = 0;
const log = (...a) => console.log('[e2e]', ...a);
// Failures are said again at the end: a log cut in its middle still names them.
const failures = [];
function check(name, ok, detail = '') {
  if (ok) { passed++; log(`ok   ${name}`); } else { failed++; failures.push(name); log(`FAIL ${name} ${detail}`); }
}
// GB/T 2260's codes: a table names every region it knows beside its code ("440100 广州市"), a code
// it does not know alone.
const knownRegions = new Set(fs.readFileSync(path.join(repo, 'region/gbt2260.tsv'), 'utf8').split('\n')
  .filter((l) => /^\d{6}\t/.test(l)).map((l) => l.slice(0, 6)));
function regionsNamed(cells) {
  return cells.length > 0 && cells.every((c) => {
    const m = /^(\d{6})(?: (\S+))?$/.exec(c);
    return m !== null && (m[2] ? /^\p{Script=Han}+$/u.test(m[2]) : !knownRegions.has(m[1]));
  });
}
function run(args, input) {
  const r = spawnSync(fanzha, args, { input, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fanzha ${args.join(' ')}: exit ${r.status}\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}
function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}
async function waitHealthy(base, server) {
  for (let i = 0; i < 600; i++) {
    if (server.exitCode !== null) throw new Error(`fanzha serve exited with ${server.exitCode}`);
    try { const r = await fetch(`${base}/api/health`); if (r.ok) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('fanzha serve did not answer /api/health within 60 s');
}
function csvRows(file) {
  const [head, ...lines] = fs.readFileSync(file, 'utf8').split('\n').filter(Boolean);
  const cols = head.split(',');
  return lines.map((l) => Object.fromEntries(l.split(',').map((v, i) => [cols[i], v])));
}

const help = spawnSync(fanzha, ['--help'], { encoding: 'utf8' });
if (!/^\s+serve\s/m.test(`${help.stdout}${help.stderr}`)) {
  log('fanzha has no serve command yet: skipped');
  process.exit(77);
}
if (!fs.existsSync(path.join(repo, 'web/dist/index.html'))) {
  console.error('[e2e] web/dist is missing: run scripts/setup.sh (it runs scripts/build-web.sh)');
  process.exit(1);
}
if (!fs.existsSync(chromiumPath)) {
  console.error(`[e2e] ${chromiumPath} is missing: run scripts/setup.sh (apt package chromium)`);
  process.exit(1);
}

fs.mkdirSync(artifacts, { recursive: true });
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fanzha-e2e-'));
const world = path.join(tmp, 'world');
const db = path.join(tmp, 'fanzha.db');
let server;
let context;
try {
  // A small world, imported, and a centre user.
  run(['gen', '--out', world, '--transfers', '5000', '--cases', '20']);
  const inputs = fs.readdirSync(world).filter((f) => f.endsWith('.csv')).map((f) => path.join(world, f));
  // Account numbers that carry markup (upper-cased by normalisation, hence the character
  // references): one imported here in a transfers.csv, one posted with a case below.
  // No spaces (normalisation drops them): a quoted value ends the attribute, '/' starts the next.
  const markupA = '<IMG/SRC="X"/ONERROR=&#119;&#105;&#110;&#100;&#111;&#119;&#46;&#95;&#95;&#120;&#115;&#115;&#61;&#49;>';
  const markupB = '<IMG/SRC="Y"/ONERROR=&#119;&#105;&#110;&#100;&#111;&#119;&#46;&#95;&#95;&#120;&#115;&#115;&#61;&#50;>';
  const csvField = (v) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const header = fs.readFileSync(path.join(world, 'transfers.csv'), 'utf8').split('\n')[0];
  const cols = header.split(',');
  const row = { id: 'XSS-T2', time: '2021-03-01T10:30:00+08:00', from: markupA, to: markupB, amount: '3000.00', channel: 'transfer' };
  fs.writeFileSync(path.join(tmp, 'xss-transfers.csv'), `${header}\n${cols.map((c) => csvField(row[c] ?? '')).join(',')}\n`);
  run(['import', '--db', db, ...inputs, path.join(tmp, 'xss-transfers.csv'), path.join(world, 'cases.jsonl')]);
  // Warnings for the hotline queue, from the world's event stream.
  // The hotline queue is per region: the region of the most urgent warning is the one to look at.
  let warnRegion = '';
  let warnLines = [];
  if (fs.existsSync(path.join(world, 'events.jsonl'))) {
    const w = spawnSync(fanzha, ['warn', '--db', db, path.join(world, 'events.jsonl')], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const lines = (w.stdout ?? '').split('\n').filter(Boolean).map((l) => { try { return JSON.parse(l); } catch { return null; } }).filter(Boolean);
    lines.sort((a, b) => b.score - a.score);
    warnRegion = lines[0]?.region ?? '';
    warnLines = lines;
  }
  // Leads pushed to the jurisdictions, for the leads page to answer.
  run(['dispatch', '--db', db, '--now', '2020-03-01T09:00:00+08:00']);
  run(['user', 'add', 'wang', '--role', 'centre', '--db', db], 'e2e-secret-pw\n');
  // An investigator of the first generated case's region (its name has a digit: an id to the
  // language check).
  const firstCase = JSON.parse(fs.readFileSync(path.join(world, 'cases.jsonl'), 'utf8').split('\n')[0]);
  run(['user', 'add', 'li01', '--role', 'investigator', '--region', firstCase.region, '--db', db], 'e2e-secret-pw\n');
  run(['user', 'add', 'shen01', '--role', 'auditor', '--db', db], 'e2e-secret-pw\n');
  // A hotline operator of the region with the most warnings (its name has a digit: an id).
  const perRegion = new Map();
  for (const w of warnLines) perRegion.set(w.region, (perRegion.get(w.region) ?? 0) + 1);
  const hotlineRegion = [...perRegion].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] || firstCase.region;
  run(['user', 'add', 'hot01', '--role', 'hotline', '--region', hotlineRegion, '--db', db], 'e2e-secret-pw\n');

  // The case to report: a new victim paying the account the first generated case paid, a minute
  // earlier, so its money follows the same mule chain.
  const first = JSON.parse(fs.readFileSync(path.join(world, 'cases.jsonl'), 'utf8').split('\n')[0]);
  const transfers = csvRows(path.join(world, 'transfers.csv'));
  const seed = transfers.find((t) => t.id === first.transfers[0]);
  const at = new Date(Date.parse(seed.time) - 60_000 + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
  const reportedAt = new Date(Date.parse(seed.time) + 3600_000 + 8 * 3600_000).toISOString().slice(0, 19) + '+08:00';
  const victim = '6222990000000000001';

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  // The map is a test fixture (a square per province), standing in for a centre's standard map.
  server = spawn(fanzha, ['serve', '--db', db, '--port', String(port), '--host', '127.0.0.1', '--web', path.join(repo, 'web/dist'), '--notify-every', '1s',
    '--map', path.join(repo, 'tests/browser/province-squares.geojson')],
    { stdio: ['ignore', 'inherit', 'inherit'] });
  await waitHealthy(base, server);
  log(`server on ${base}`);

  context = await chromium.launchPersistentContext(path.join(tmp, 'chromium-profile'), {
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
    viewport: { width: 1360, height: 900 },
    locale: 'zh-CN',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // The text of column i of a table's rows.
  const columnOf = (selector, i) => page.$$eval(`${selector} tbody tr`, (rows, n) => rows.map((r) => r.cells[n]?.textContent ?? ''), i);
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.stack ?? String(e)));
  const traceRequests = [];
  page.on('request', (r) => { if (/\/api\/cases\/[^/]+\/trace\?/.test(r.url())) traceRequests.push(r.url()); });
  // The server's Content-Security-Policy allows no inline script or style: what the page (or a
  // chart library) would need beyond it shows here.
  const cspViolations = [];
  page.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(`${m.text()} (${m.location().url}:${m.location().lineNumber}, page ${page.url()})`); });
  page.setDefaultTimeout(60_000);
  // Every page the test looks at (each screenshot) is read for its language too: a zh-CN page shows
  // no English words but ids and codes (language.mjs), an English page no Chinese label of the
  // catalog. The user's name is data, and so is what the test typed.
  const catalog = catalogChinese(path.join(repo, 'web/src/i18n.ts'));
  const refusal = 'account closed before the order';  // typed below as a bank's reason
  // The reason the trace page fills in is stored with each trace in the page's language, and a
  // case's timeline shows it as it was typed, on a page in the other language too.
  const ourData = ['wang', refusal, '受害人报案，资金查控', 'victim report, tracing the money'];
  // `shown`: more data the page shows as it is stored (the audit log's users, targets and details,
  // which the server writes), besides ourData.
  const shot = async (name, fullPage = true, shown = []) => {
    await page.screenshot({ path: path.join(artifacts, `${name}.png`), fullPage });
    const [lang, text] = await page.evaluate(() => [document.documentElement.lang, document.body.innerText]);
    const data = [...ourData, ...shown].filter(Boolean).sort((a, b) => b.length - a.length);
    if (lang === 'zh-CN') {
      const english = englishWords(text, data);
      check(`${name}: no English words on the zh-CN page`, english.length === 0, english.join(' '));
    } else {
      let rest = text;
      for (const d of data) rest = rest.split(d).join(' ');
      const chinese = catalog.filter((c) => rest.includes(c));
      check(`${name}: no Chinese labels on the English page`, chinese.length === 0, chinese.join(' '));
    }
  };
  // A CSV export as the browser saves it: the file's name, its bytes and its lines.
  const saveCsv = async (selector) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
    const bytes = fs.readFileSync(await d.path());
    return { name: d.suggestedFilename(), bytes, lines: bytes.toString('utf8').replace(/^\uFEFF/, '').split('\r\n') };
  };
  const isBom = (b) => b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf;

  // Log in.
  const firstAnswer = await page.goto(`${base}/`);
  const csp = firstAnswer.headers()['content-security-policy'] ?? '';
  check('page sent with a Content-Security-Policy without inline script',
    csp.includes("script-src 'self'") && !csp.includes('unsafe-inline') && csp.includes("frame-ancestors 'none'"), csp);
  await page.waitForSelector('#login-form');
  check('login page in Chinese', (await page.textContent('#login-form')).includes('登录'));
  await shot('01-login');
  await page.fill('#login-user', 'wang');
  await page.fill('#login-password', 'wrong');
  await page.click('#login-submit');
  await page.waitForSelector('#login-form .error:not(:empty)');
  check('wrong password refused', true);
  await page.fill('#login-password', 'e2e-secret-pw');
  await page.click('#login-submit');
  await page.waitForSelector('#nav-report');
  check('logged in', true);
  // A centre lands on the case queue, not the intake form.
  await page.waitForSelector('#cases-table, #cases-out .error');
  const landed = await page.$$eval('#cases-table tbody tr', (r) => r.length).catch(() => 0);
  check('the case queue is the page after login', landed > 0 && (await page.getAttribute('#nav-cases', 'class')) === 'active' &&
    /^第 1–\d+ 条，共 \d+ 条$/.test(await page.textContent('#cases-range')), await page.textContent('#cases-out'));
  await shot('01b-cases-zh');

  // The session is out of script's reach: an HttpOnly, SameSite=Strict cookie, nothing in storage;
  // a reload keeps it (GET /api/me).
  const cookies = await context.cookies(`${base}/api/me`);
  const sessionCookie = cookies.find((c) => c.name === 'fanzha_session');
  check('session in an HttpOnly SameSite=Strict cookie', sessionCookie?.httpOnly === true && sessionCookie?.sameSite === 'Strict',
    JSON.stringify(cookies));
  const visible = await page.evaluate(() => ({ cookie: document.cookie, local: JSON.stringify({ ...localStorage }), session: JSON.stringify({ ...sessionStorage }) }));
  check('no token where script can read it', !visible.cookie.includes('fanzha_session') && !visible.local.includes(sessionCookie?.value ?? '-') &&
    visible.session === '{}', JSON.stringify(visible));
  await page.reload();
  await page.waitForSelector('#nav-report');
  check('still logged in after a reload', true);
  // An API client (this script) logs in with a bearer token, as the CLI and other systems do.
  const token = (await fetch(`${base}/api/login`, { method: 'POST', headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user: 'wang', password: 'e2e-secret-pw' }) }).then((r) => r.json())).token;
  const bearer = { Authorization: `Bearer ${token}` };
  // A change from the page's origin without the CSRF token is refused, with the cookie alone.
  const forged = await page.evaluate(async () => (await fetch('/api/logout', { method: 'POST' })).status);
  check('a change without the CSRF token is refused', forged === 403, `status ${forged}`);

  // Stored markup: a case posted with a transfer to markupA (which the imported row pays on to
  // markupB). Hovering their nodes in the Sankey must show the text and run nothing.
  const xssCase = { case: { id: 'XSS-0001', reported_at: '2021-03-01T12:00:00+08:00', region: first.region ?? '450200',
    category: first.category ?? 'other', victim: { name: '测试某', account: '6222990000000000009' }, transfers: ['XSS-T1'] },
  transfers: [{ id: 'XSS-T1', time: '2021-03-01T10:00:00+08:00', from: '6222990000000000009', to: markupA, amount: '5000.00', channel: 'transfer' }] };
  const posted = await fetch(`${base}/api/cases`, { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: JSON.stringify(xssCase) });
  check('case with markup accounts stored', posted.status === 201, await posted.text());
  await page.goto(`${base}/#/trace/XSS-0001`);
  await page.waitForSelector('#sankey canvas', { timeout: 30_000 });
  await page.waitForTimeout(1200); // the Sankey's entry animation
  const box = await page.$eval('#sankey', (el) => { const r = el.getBoundingClientRect(); return { x: r.x, y: r.y, w: r.width, h: r.height }; });
  // Tooltips are rich text drawn on the canvas (charts.ts tooltip(); the text itself is checked by
  // web/test/escape.test.ts): hovering every part of the chart must leave no markup in the page.
  let htmlTips = 0;
  for (let y = box.y + 10; y < box.y + box.h - 10; y += Math.max(8, box.h / 12)) {
    for (let x = box.x + 4; x < box.x + box.w - 4; x += 12) {
      await page.mouse.move(x, y);
    }
    htmlTips += await page.evaluate(() => [...document.querySelectorAll('#sankey div')].filter((d) => /<IMG\/SRC=/i.test(d.innerText ?? '')).length);
  }
  await page.waitForTimeout(300);
  await shot('04b-markup-tooltip');
  check('markup accounts never reach the page as HTML tooltips', htmlTips === 0, `divs=${htmlTips}`);
  const ran = await page.evaluate(() => [window.__xss, document.querySelector('img[src="X" i], img[src="Y" i]')?.outerHTML ?? null]);
  check('no script from stored markup ran', ran[0] === undefined && ran[1] === null, JSON.stringify(ran));

  // Report a case, as an officer fills the form in: times picked as China time (a datetime-local
  // value, whatever the browser's zone), the region by name (province, then city, then county), an
  // identifier per row with its type, the victim's payment as a row. A bad amount is marked beside
  // its field before anything is sent; a region code GB/T 2260 does not have is refused by the
  // server, and its Chinese message is shown beside the region.
  await page.click('#nav-report');
  await page.waitForSelector('#report-form');
  // A datetime-local value, "YYYY-MM-DDTHH:MM[:SS]" (the seconds only when not 0, as the input keeps it).
  const localTime = (rfc) => (rfc.slice(17, 19) === '00' ? rfc.slice(0, 16) : rfc.slice(0, 19));
  const region = first.region ?? '';
  const chain = [`${region.slice(0, 2)}0000`, `${region.slice(0, 4)}00`, region].filter((c, i, a) => a.indexOf(c) === i);
  await page.fill('#report-id', 'E2E-0001');
  await page.fill('#report-reported_at', localTime(reportedAt));
  for (const [i, level] of ['province', 'city', 'county'].entries()) {
    if (chain[i]) await page.selectOption(`#report-${level}`, chain[i]);  // waits for the division list
  }
  const picked = [await page.inputValue('#report-region'), await page.textContent('#report-region-name'),
    await page.$eval('#report-province', (s) => s.selectedOptions[0].textContent)];
  check('the region picked by name gives its GB/T 2260 code', picked[0] === region && /\p{Script=Han}/u.test(picked[1]) &&
    picked[2].endsWith(` ${chain[0]}`), JSON.stringify(picked));
  await page.selectOption('#report-category', first.category ?? 'other');
  await page.fill('#report-loss', '5000.00');
  await page.fill('#report-victim_name', '测试某');
  await page.fill('#report-victim_account', victim);
  await page.fill('#report-narrative', '网上购物付款后被拉黑');
  await page.selectOption('#report-identifiers tbody tr:nth-child(1) .id-type', 'phone');
  await page.fill('#report-identifiers tbody tr:nth-child(1) .id-value', '+86 177 7212 3456');
  await page.click('#report-add-identifier');
  await page.selectOption('#report-identifiers tbody tr:nth-child(2) .id-type', 'wechat');
  await page.fill('#report-identifiers tbody tr:nth-child(2) .id-value', 'wxid_e2e0001');
  await page.click('#report-add-identifier');
  await page.click('#report-identifiers tbody tr:nth-child(3) .row-remove');
  const idTypes = await page.$$eval('#report-identifiers tbody tr .id-type', (s) => s.map((x) => x.selectedOptions[0].textContent));
  check('identifier rows with their types in Chinese, added and removed', idTypes.join() === '手机号,微信', idTypes.join());
  await page.click('#report-add-payment');
  const pay = '#report-payments tbody tr:nth-child(1)';
  check('a payment row starts from the victim account', (await page.inputValue(`${pay} .pay-from`)) === victim);
  await page.fill(`${pay} .pay-time`, localTime(at));
  await page.fill(`${pay} .pay-to`, seed.to);
  await page.selectOption(`${pay} .pay-channel`, 'transfer');
  await page.fill(`${pay} .pay-amount`, '5000.001');
  await page.click('#report-submit');
  await page.waitForSelector(`${pay} .field-error[data-field="amount"]:not(:empty)`);
  check('a bad amount is said beside it, in Chinese, and nothing is sent',
    (await page.textContent(`${pay} .field-error[data-field="amount"]`)).includes('最多两位小数') && (await page.$('#report-ok')) === null &&
    (await page.getAttribute(`${pay} .pay-amount`, 'aria-invalid')) === 'true', await page.textContent('#report-form'));
  await shot('02a-report-bad-amount');
  await page.fill(`${pay} .pay-amount`, '5000.00');
  await page.fill('#report-region', '999999');
  check('an unknown code is said as such', (await page.textContent('#report-region-name')) === '无此行政区划代码');
  await page.click('#report-submit');
  await page.waitForSelector('#report-result .error');
  const regionError = await page.textContent('.field-error[data-field="region"]');
  check("the server's refusal of the region is shown beside it, in Chinese", regionError.includes('不是 GB/T 2260') &&
    (await page.$('#report-ok')) === null && (await page.textContent(`${pay} .field-error[data-field="amount"]`)) === '', regionError);
  await shot('02b-report-bad-region');
  for (const [i, level] of ['province', 'city', 'county'].entries()) {
    if (chain[i]) await page.selectOption(`#report-${level}`, chain[i]);
  }
  check('the region picked again', (await page.inputValue('#report-region')) === region);
  await shot('02-report-form');
  const [postedCase] = await Promise.all([
    page.waitForRequest((r) => r.url().endsWith('/api/cases') && r.method() === 'POST'),
    page.click('#report-submit'),
  ]);
  await page.waitForSelector('#report-ok, #report-result .error');
  const reported = await page.$('#report-ok');
  check('case reported', reported !== null, await page.textContent('#report-result'));
  const sent = postedCase.postDataJSON();
  check('the case posted with China times, the region code, the rows', sent.case.reported_at === reportedAt &&
    sent.case.region === region && sent.transfers.length === 1 && sent.transfers[0].time === at &&
    sent.transfers[0].amount === '5000.00' && sent.transfers[0].from === victim && sent.transfers[0].id === 'E2E-0001-T1' &&
    JSON.stringify(sent.case.identifiers) === JSON.stringify([{ type: 'phone', value: '+86 177 7212 3456' }, { type: 'wechat', value: 'wxid_e2e0001' }]),
  JSON.stringify(sent));
  await shot('03-report-done');

  // Its trace: the Sankey diagram and the freeze plan.
  await page.click('#report-go-trace');
  await page.waitForSelector('#freeze-plan, #trace-out .error');
  await page.waitForSelector('#sankey canvas, #sankey svg', { timeout: 15_000 }).catch(() => undefined);
  check('Sankey drawn', (await page.$('#sankey canvas, #sankey svg')) !== null, await page.textContent('#trace-out'));
  const planRows = await page.$$eval('#freeze-plan tbody tr', (r) => r.length).catch(() => 0);
  check('freeze plan has rows', planRows > 0, `rows=${planRows}`);
  const planRegions = (await columnOf('#freeze-plan', 2)).filter((c) => c !== '');  // an account of no known region: none
  check('the freeze plan names each region beside its code', planRegions.length === 0 || regionsNamed(planRegions), planRegions.slice(0, 5).join(' | '));
  const since = await columnOf('#freeze-plan', 5);
  check('the freeze plan says since when in China time, not RFC 3339', since.every((c) => c === '' || /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(c)),
    since.slice(0, 3).join(' | '));
  // The dashboard asks for a summary (the largest 2,000 flows) and says what it left out.
  const asked = traceRequests.at(-1) ?? '';
  check('trace asked as a summary', /[?&]flows_limit=2000(&|$)/.test(asked), asked);
  const summary = await page.evaluate(async (u) => (await fetch(u)).json(), asked);  // the page's session cookie
  const omittedNote = await page.$('#trace-flows-omitted');
  check('flows left out are said, and only then', (summary.flows_omitted?.count > 0) === (omittedNote !== null),
    JSON.stringify(summary.flows_omitted));
  await page.waitForTimeout(800); // the Sankey's entry animation
  // A tooltip of the flow chart, drawn under the policy.
  const sankeyBox = await (await page.$('#sankey canvas, #sankey svg'))?.boundingBox();
  if (sankeyBox) {
    for (const fx of [0.1, 0.3, 0.5, 0.7, 0.9]) await page.mouse.move(sankeyBox.x + sankeyBox.width * fx, sankeyBox.y + sankeyBox.height / 2);
  }
  await shot('04-trace');

  // Freeze orders from the plan, in one action.
  await page.click('#make-orders');
  await page.waitForSelector('#freeze-orders tbody tr, #freeze-orders-box .error');
  const orderRows = await page.$$eval('#freeze-orders tbody tr', (r) => r.length).catch(() => 0);
  check('freeze orders made, one per plan row', orderRows === planRows, `orders=${orderRows} plan=${planRows}`);
  const api = await fetch(`${base}/api/freeze-orders?case=E2E-0001`, { headers: bearer }).then((r) => r.json());
  check('orders stored as planned', Array.isArray(api.orders) && api.orders.length === orderRows && api.orders.every((o) => o.status === 'planned'),
    JSON.stringify(api).slice(0, 300));
  await shot('05-freeze-orders');

  // The justice process: the case moves to 立案 with its document, the move is listed, and the
  // evidence package downloads as a signed zip.
  await page.waitForSelector('#proc-stage');
  check('process panel in Chinese', (await page.textContent('#proc-stage')).includes('受案'), await page.textContent('#process'));
  await page.selectOption('#proc-to', 'opened');
  await page.fill('#proc-document', '杭公立字〔2026〕1号');
  await page.click('#proc-move');
  await page.waitForFunction(() => document.querySelector('#proc-stage')?.textContent?.includes('立案'));
  check('the move is listed', (await page.textContent('#proc-moves')).includes('杭公立字〔2026〕1号'));
  const zipHref = await page.getAttribute('#proc-export', 'href');
  const zip = await fetch(`${base}${zipHref}`, { headers: bearer });
  const zipBytes = new Uint8Array(await zip.arrayBuffer());
  check('evidence package is a zip', zip.status === 200 && zip.headers.get('content-type') === 'application/zip' &&
    zipBytes[0] === 0x50 && zipBytes[1] === 0x4b, `status=${zip.status}`);
  await shot('05b-process');

  // The case queue: a filter narrows it, the case opens from it; on its page the case is taken, a
  // note added, a file uploaded (its raw bytes, downloaded back the same), and the timeline says so.
  const queueTotal = async () => Number(await page.getAttribute('#cases-range', 'data-total'));
  const queueShown = (q) => page.waitForSelector(`#cases-out[data-loaded="${q}"]`);
  await page.click('#nav-cases');
  await queueShown('');
  const allCases = await queueTotal();
  // Pages: 20 rows a page, the next page, back to the whole queue.
  await page.selectOption('#cases-limit', '20');
  await page.click('#cases-apply');
  await queueShown('limit=20');
  const firstPage = [await page.textContent('#cases-range'), await page.$$eval('#cases-table tbody tr', (r) => r.length)];
  await page.click('#cases-next');
  await queueShown('offset=20&limit=20');
  const secondPage = [await page.textContent('#cases-range'), await page.$$eval('#cases-table tbody tr', (r) => r.length),
    await page.isEnabled('#cases-prev'), await page.isDisabled('#cases-next')];
  check('the queue pages: prev/next and "x–y of total"', allCases > 20 && firstPage[0] === `第 1–20 条，共 ${allCases} 条` &&
    firstPage[1] === 20 && secondPage[0] === `第 21–${allCases} 条，共 ${allCases} 条` && secondPage[1] === allCases - 20 &&
    secondPage[2] && secondPage[3], JSON.stringify([allCases, firstPage, secondPage]));
  await page.click('#cases-reset');
  await queueShown('');
  await page.selectOption('#cases-stage', 'opened');
  await page.fill('#cases-region', first.region ?? '');
  await page.click('#cases-apply');
  await queueShown(`stage=opened&region=${first.region ?? ''}`);
  const opened = await page.$$eval('#cases-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  check('a filter narrows the queue to the case moved to 立案', await queueTotal() < allCases && opened.length >= 1 &&
    opened.some((r) => r[0] === 'E2E-0001') && opened.every((r) => r[5] === '立案'),
  `${allCases} -> ${JSON.stringify(opened).slice(0, 400)}`);
  check('the filter is kept in the address', (await page.evaluate(() => location.hash)) === `#/cases/${encodeURIComponent(`stage=opened&region=${first.region ?? ''}`)}`);
  await shot('05c-cases-filtered-zh');
  const casesFile = await saveCsv('#cases-csv');
  check('the filtered queue exports as CSV', /^cases-\d{4}-\d\d-\d\d\.csv$/.test(casesFile.name) && isBom(casesFile.bytes) &&
    casesFile.lines[0].startsWith('案件编号,报案时间,地区,地区代码,类别,损失（元）,诉讼阶段') &&
    casesFile.lines.some((l) => l.startsWith('E2E-0001,') && l.includes(',5000.00,立案,')),
  `${casesFile.name}\n${casesFile.lines.slice(0, 3).join('\n')}`);
  await page.click('#cases-table a[href="#/trace/E2E-0001"]');
  await page.waitForSelector('#work-take');
  check('the case opens from the queue, unassigned', (await page.textContent('#work-officer')) === '未指派');
  await page.click('#work-take');
  await page.waitForSelector('#work-give-back');
  check('指派给我 takes the case', (await page.textContent('#work-officer')) === 'wang');
  const noteText = '已联系受害人，补充银行流水';
  ourData.push(noteText);  // data: shown as typed on an English page too
  await page.fill('#work-note-text', noteText);
  await page.click('#work-note-add');
  await page.waitForSelector('#work-notes');
  check('the note is listed', (await page.textContent('#work-notes')).includes(noteText));
  const fileBytes = Buffer.from('流水截图说明\nE2E-0001-T1 5000.00\n');
  const fileSha = crypto.createHash('sha256').update(fileBytes).digest('hex');
  await page.selectOption('#work-file-kind', 'report_material');
  await page.setInputFiles('#work-file', { name: 'bank-statement.txt', mimeType: 'text/plain', buffer: fileBytes });
  await page.click('#work-upload');
  await page.waitForSelector('#work-files');
  const fileRow = await page.$$eval('#work-files tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  check('the upload is listed with its kind, size, uploader and digest', fileRow.length === 1 && fileRow[0][0] === '报案材料' &&
    fileRow[0][1] === 'bank-statement.txt' && fileRow[0][2] === `${fileBytes.length} 字节` && fileRow[0][3] === 'wang' &&
    fileRow[0][5] === `${fileSha.slice(0, 12)}…`, JSON.stringify(fileRow));
  const fileHref = await page.getAttribute('#work-files a.work-download', 'href');
  const fetched = await fetch(`${base}${fileHref}`, { headers: bearer });
  const back = Buffer.from(await fetched.arrayBuffer());
  check('the file downloads as uploaded', fetched.status === 200 && back.equals(fileBytes) &&
    fetched.headers.get('x-content-sha256') === fileSha, `status=${fetched.status}`);
  await page.waitForFunction((n) => document.querySelector('#work-timeline')?.textContent?.includes(n), noteText);
  const events = await page.$$eval('#work-timeline tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  check('the timeline shows the report, the move, the assignment, the note and the file, oldest first',
    events[0]?.[1].startsWith('报案') && events.some((e) => e[1] === '进入立案') && events.some((e) => e[1] === '指派给 wang') &&
    events.some((e) => e[1] === '备注' && e[3] === noteText && e[2] === 'wang') && events.some((e) => e[1] === '上传报案材料' && e[3] === 'bank-statement.txt') &&
    events.every((e) => /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(e[0])) && events.map((e) => e[0]).join() === events.map((e) => e[0]).sort().join(),
  JSON.stringify(events).slice(0, 800));
  await shot('05d-case-work-zh');
  // The queue says who has it now, and what was done on it.
  await page.click('#nav-cases');
  await queueShown(`stage=opened&region=${first.region ?? ''}`);
  await page.selectOption('#cases-officer', 'me');
  await page.click('#cases-apply');
  await queueShown(`stage=opened&region=${first.region ?? ''}&officer=me`);
  const mine = await page.$$eval('#cases-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  check('my cases: the one taken, with its note and file', mine.length === 1 && mine[0][0] === 'E2E-0001' && mine[0][7] === 'wang' &&
    mine[0][8] === '1' && mine[0][9] === '1', JSON.stringify(mine));
  await page.goto(`${base}/#/trace/E2E-0001`);
  await page.waitForSelector('#freeze-plan');

  // One search box on every page: the case id finds the case, which opens its trace.
  await page.fill('#search-q', 'E2E-0001');
  await page.press('#search-q', 'Enter');
  await page.waitForSelector('#search-cases a, #search-out .error, #search-out .muted');
  check('search finds the case by its id', (await page.textContent('#search-out')).includes('E2E-0001'),
    await page.textContent('#search-out'));
  await page.click('#search-cases a');  // the hit opens the case's trace again
  await page.waitForSelector('#freeze-plan');
  check("the case's held accounts open their profiles", planRows === 0 ||
    (await page.$$eval('#freeze-plan a.profile-link', (a) => a.length)) === planRows);

  // 画像: an account named by the generated cases, with money, counterparties and cases, found by
  // the search box; its profile, a counterparty's profile from it, a case from it.
  const norm = (v) => v.normalize('NFKC').replace(/\s+/g, '');
  const named = [...new Set(fs.readFileSync(path.join(world, 'cases.jsonl'), 'utf8').split('\n').filter(Boolean)
    .flatMap((l) => (JSON.parse(l).identifiers ?? []).filter((i) => i.type === 'account').map((i) => norm(i.value))))];
  let profiled = null;
  for (const acct of named) {
    const p = await fetch(`${base}/api/profile?type=account&value=${encodeURIComponent(acct)}`, { headers: bearer }).then((r) => r.json());
    if (p.account && p.money?.counterparties?.some((c) => c.account !== '') && p.cases?.length) { profiled = p; break; }
  }
  check('an account named by a case has money, counterparties and cases', profiled !== null, `${named.length} accounts named`);
  if (profiled) {
    const acct = profiled.value;
    ourData.push(profiled.account.holder, profiled.account.institution);  // data (generated names)
    const profileShown = (type, value) => page.waitForSelector(`#profile-out[data-loaded="${type}/${value}"], #profile-out .error`);
    await page.fill('#search-q', acct);
    await page.press('#search-q', 'Enter');
    await page.waitForSelector('#search-accounts a.profile-link, #search-out .error');
    check('search links the matched identifiers and the account to profiles',
      (await page.$$eval('#search-cases a.profile-link', (a) => a.map((x) => x.getAttribute('href')))).includes(`#/profile/account/${acct}`) &&
      (await page.getAttribute('#search-accounts a.profile-link', 'href')) === `#/profile/account/${acct}`);
    await page.click('#search-accounts a.profile-link');
    await profileShown('account', acct);
    const money = await page.evaluate(() => Object.fromEntries(['received', 'paid', 'balance', 'first', 'last']
      .map((k) => [k, document.querySelector(`#profile-${k} .kpi-value`)?.textContent ?? ''])));
    const shownAccount = await page.$$eval('#profile-account tbody td', (c) => c.map((x) => x.textContent));
    const cps = await page.$$eval('#profile-counterparties tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
    const profileCases = await page.$$eval('#profile-cases tbody tr', (rows) => rows.map((r) => r.cells[0].textContent));
    const amount = /^\d{1,3}(,\d{3})*\.\d\d$/;
    check('the profile shows the account, its money in yuan with separators and China time',
      shownAccount[0] === acct && shownAccount[1] === profiled.account.holder && shownAccount[4] === profiled.account.region &&
      amount.test(money.received) && amount.test(money.paid) && /^-?\d{1,3}(,\d{3})*\.\d\d$/.test(money.balance) &&
      /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(money.first) && /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(money.last),
    JSON.stringify([shownAccount, money]));
    check('the profile lists the counterparties, cash as 现金, and the cases naming it',
      cps.length === profiled.money.counterparties.length &&
      cps.every((r, i) => r[0] === (profiled.money.counterparties[i].account || '现金') && amount.test(r[1]) && amount.test(r[2])) &&
      profileCases.join() === profiled.cases.map((c) => c.id).join() &&
      (await page.$$eval('#profile-transfers tbody tr', (r) => r.length)) === profiled.money.recent.length,
    JSON.stringify([cps, profileCases]).slice(0, 600));
    await shot('13-profile-zh');
    const cp = await page.textContent('#profile-counterparties a.counterparty');
    await page.click('#profile-counterparties a.counterparty');
    await profileShown('account', cp);
    check("a counterparty opens its own profile", (await page.textContent('#profile-value')) === cp &&
      (await page.evaluate(() => location.hash)) === `#/profile/account/${encodeURIComponent(cp)}` &&
      (await page.$('#profile-money')) !== null,
    await page.textContent('#profile-out'));
    await shot('13b-profile-counterparty-zh');
    await page.goBack();
    await profileShown('account', acct);
    const caseId = profileCases[0];
    await page.click(`#profile-cases a.case-link[href="#/trace/${encodeURIComponent(caseId)}"]`);
    await page.waitForSelector('#freeze-plan, #trace-out .error');
    check('a case opens from the profile', (await page.inputValue('#trace-case')) === caseId &&
      (await page.evaluate(() => location.hash)) === `#/trace/${encodeURIComponent(caseId)}`);
  }
  await page.goto(`${base}/#/trace/E2E-0001`);  // the reported case again, for the English pages
  await page.waitForSelector('#freeze-plan');

  // English.
  await page.click('#lang-switch');
  await page.waitForSelector('#trace-out');
  await page.waitForSelector('#freeze-plan');
  check('English labels', (await page.textContent('header')).includes('Trace'));
  await page.waitForTimeout(800);
  await shot('06-trace-en');
  check('the work panel in English', (await page.textContent('#work')).includes('Give back') &&
    (await page.textContent('#work-timeline')).includes('assigned to wang'), await page.textContent('#work'));
  await page.click('#nav-cases');
  await page.waitForSelector('#cases-table');
  check('the queue in English', (await page.textContent('#cases-range')).includes(' of '), await page.textContent('#cases-out'));
  await shot('06b-cases-en');
  await page.click('#nav-report');
  await page.waitForSelector('#report-form');
  await page.selectOption('#report-province', chain[0]);
  await page.click('#report-add-payment');
  const enTypes = await page.$$eval('#report-identifiers .id-type option', (o) => o.map((x) => x.textContent));
  const enProvince = await page.$eval('#report-province', (s) => s.selectedOptions[0].textContent);
  check('the report form in English, provinces named in English too', enTypes.includes('ID card') &&
    (await page.textContent('#report-form')).includes('China time') && /^[A-Z][A-Za-z ]+ \p{Script=Han}+ \d{6}$/u.test(enProvince),
  `${enTypes.join()} ${enProvince}`);
  await shot('06c-report-en');
  if (profiled) {
    await page.evaluate((h) => { location.hash = h; }, `#/profile/account/${encodeURIComponent(profiled.value)}`);
    await page.waitForSelector(`#profile-out[data-loaded="account/${profiled.value}"], #profile-out .error`);
    check('the profile in English', (await page.textContent('h2')).startsWith('Profile') &&
      (await page.textContent('#profile-out')).includes('Counterparties') && (await page.textContent('#profile-type')) === 'account',
    await page.textContent('#profile-out'));
    await shot('13c-profile-en');
  }

  // The other pages draw without errors.
  // The hotline queue: record an outcome.
  await page.click('#nav-hotline');
  await page.fill('#hotline-region', warnRegion);
  await page.press('#hotline-region', 'Enter');
  await page.waitForSelector('#hotline-out > *');
  const warnings = await page.$$eval('#hotline-queue tbody tr', (r) => r.length).catch(() => 0);
  if (warnings > 0) {
    await shot('07-hotline');
    await page.click('#hotline-queue tbody tr:first-child button[data-outcome="dissuaded"]');
    await page.waitForSelector('#hotline-queue tbody tr:first-child .outcomes .ok, #hotline-queue tbody tr:first-child .error');
    check('hotline outcome recorded', (await page.$('#hotline-queue tbody tr:first-child .outcomes .ok')) !== null,
      await page.textContent('#hotline-queue tbody tr:first-child'));
    const regions = await columnOf('#hotline-queue', 1);
    check('the hotline queue names each region beside its code', regionsNamed(regions), regions.slice(0, 5).join(' | '));
  } else {
    log('no warnings in the queue: outcome not tried');
  }

  // The order list: send the first order of the case to its bank.
  await page.click('#nav-orders');
  await page.fill('#orders-case', 'E2E-0001');
  await page.press('#orders-case', 'Enter');
  await page.waitForSelector('#orders-table tbody tr .move select');
  const firstId = await page.textContent('#orders-table tbody tr:first-child td:first-child');
  await page.selectOption('#orders-table tbody tr:first-child .move select', 'sent');
  await page.click('#orders-table tbody tr:first-child .move button');
  await page.waitForFunction(() => document.querySelector('#orders-table tbody tr:first-child td:nth-child(8)')?.textContent === 'Sent');
  const moved = await fetch(`${base}/api/freeze-orders/${firstId}`, { headers: bearer }).then((r) => r.json());
  check('order moved to sent', moved.status === 'sent', JSON.stringify(moved));
  check('orders lapsing soon are listed above the orders', await page.$('#orders-due') !== null, 'no #orders-due');
  // A refusal's reason has a box of its own: the amount box no longer doubles as it.
  await page.selectOption('#orders-table tbody tr:first-child .move select', 'rejected');
  check('the amount box hides for a refusal', await page.isHidden('#orders-table tbody tr:first-child .move .move-amount'));
  await page.fill('#orders-table tbody tr:first-child .move .move-reason', refusal);
  await page.click('#orders-table tbody tr:first-child .move button');
  await page.waitForFunction(() => document.querySelector('#orders-table tbody tr:first-child td:nth-child(8)')?.textContent === 'Rejected');
  const rejected = await fetch(`${base}/api/freeze-orders/${firstId}`, { headers: bearer }).then((r) => r.json());
  check('the refusal keeps its reason', rejected.status === 'rejected' && rejected.reason === refusal,
    JSON.stringify(rejected));
  await shot('08-orders');
  // The list as a CSV file for Excel: a byte order mark, the page's language, the order's row.
  const ordersFile = await saveCsv('#orders-out button[data-csv="orders"]');
  check('orders export as CSV for Excel', /^orders-\d{4}-\d\d-\d\d\.csv$/.test(ordersFile.name) && isBom(ordersFile.bytes) &&
    ordersFile.lines[0].startsWith('Order no.,Kind,Case,Account,Holder,') &&
    ordersFile.lines.some((l) => l.startsWith(`${firstId},Freeze,E2E-0001,`) && l.includes(`,Rejected,${refusal},`)),
  `${ordersFile.name}\n${ordersFile.lines.slice(0, 3).join('\n')}`);

  // Each order prints as the notice its bank receives: the document of its kind, money and China
  // time for people, alone on A4 in print, and a button that prints.
  await page.click('#orders-table tbody tr:first-child a.order-notice');
  await page.waitForSelector('#notice');
  const notice = await page.textContent('#notice');
  check('the notice names its kind, legal basis, account and amount',
    notice.includes('Notice of assistance in freezing property') && notice.includes('Article 144') &&
    notice.includes(api.orders.find((o) => String(o.id) === firstId)?.account ?? '-') && /CNY \d{1,3}(,\d{3})*\.\d\d/.test(notice), notice);
  check('the notice shows no raw RFC 3339', !/\d{4}-\d\d-\d\dT\d\d:\d\d/.test(notice), notice);
  await page.evaluate(() => { window.print = () => { window.__printed = (window.__printed ?? 0) + 1; }; });
  await page.click('#notice-print');
  check('the print button prints', await page.evaluate(() => window.__printed) === 1);
  await page.emulateMedia({ media: 'print' });
  const printed = await page.evaluate(() => ({
    header: getComputedStyle(document.querySelector('header')).display,
    button: getComputedStyle(document.querySelector('#notice-print')).display,
    colour: getComputedStyle(document.querySelector('#notice')).color,
    paper: getComputedStyle(document.body).backgroundColor,
  }));
  check('in print only the notice shows, black on white', printed.header === 'none' && printed.button === 'none' &&
    printed.colour === 'rgb(0, 0, 0)' && printed.paper === 'rgb(255, 255, 255)', JSON.stringify(printed));
  const pdf = await page.pdf({ path: path.join(artifacts, '08b-notice.pdf'), preferCSSPageSize: true });
  const media = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(pdf.toString('latin1'));
  check('the notice prints on A4', media !== null && Math.abs(Number(media[1]) - 595.3) < 2 && Math.abs(Number(media[2]) - 841.9) < 2, media?.[0]);
  await page.emulateMedia({ media: 'screen' });
  await shot('08b-notice');
  // An order on an account number carrying markup: its notice shows it as text.
  const markupOrders = await fetch(`${base}/api/cases/XSS-0001/freeze-orders`, { method: 'POST',
    headers: { ...bearer, 'Content-Type': 'application/json' }, body: JSON.stringify({ reason: 'e2e' }) }).then((r) => r.json());
  const markupOrder = markupOrders.orders?.find((o) => o.account.startsWith('<IMG'));
  if (markupOrder) {
    await page.goto(`${base}/#/orders/${markupOrder.id}`);
    await page.waitForSelector('#notice');
    const shown = await page.evaluate(() => [document.querySelector('#notice').textContent, window.__xss,
      document.querySelector('img[src="X" i], img[src="Y" i]')?.outerHTML ?? null]);
    check('a notice shows a markup account as text', shown[0].includes(markupOrder.account) && shown[1] === undefined && shown[2] === null,
      JSON.stringify(shown));
  } else {
    check('freeze orders for the markup accounts', false, JSON.stringify(markupOrders).slice(0, 300));
  }

  // Every other page, each left for the next one as a person would, the gang view while its chart
  // may still be laid out.
  for (const [tab, sel] of [['gang', '#gang-out > *'], ['leads', '#leads-map'], ['stats', '#stats-out']]) {
    await page.click(`#nav-${tab}`);
    await page.waitForSelector(sel);
    await page.waitForTimeout(1500);
    await shot(`07-${tab}`);
  }
  // Takedowns: requests for the reported case's identifiers, then the first one sent.
  await page.click('#nav-takedowns');
  await page.fill('#takedowns-case', 'E2E-0001');
  await page.click('#takedowns-request');
  await page.waitForSelector('#takedowns-made > *');
  await page.waitForSelector('#takedowns-table tbody tr', { timeout: 10_000 }).catch(() => undefined);
  const requested = await page.$$eval('#takedowns-table tbody tr', (r) => r.length).catch(() => 0);
  check('takedown requested for the case', requested > 0, await page.textContent('#takedowns-made'));
  if (requested > 0) {
    const first = await page.textContent('#takedowns-table tbody tr:first-child td:first-child');
    await page.click('#takedowns-table tbody tr:first-child button[data-to="sent"]');
    await page.waitForFunction((id) => document.querySelector('#takedowns-table tbody tr:first-child td:first-child')?.textContent === id &&
      !document.querySelector('#takedowns-table tbody tr:first-child button[data-to="sent"]'), first);
    const sent = await fetch(`${base}/api/takedowns?case=E2E-0001&state=sent`, { headers: bearer }).then((r) => r.json());
    check('takedown moved to sent', sent.takedowns?.some((r) => String(r.id) === first), JSON.stringify(sent).slice(0, 300));
    await shot('09-takedowns');
  }

  // Statistics: the daily report in words and the charts by day, region and fraud type, both languages.
  await page.click('#nav-stats');
  await page.waitForSelector('#stats-daily-text:not(:empty)');
  await page.waitForSelector('#stats-days canvas');
  check('daily report in English', (await page.textContent('#stats-daily-text')).includes('cases reported'));
  const drawn = [];
  for (const id of ['stats-map', 'stats-cities', 'stats-categories']) {
    if (await page.waitForSelector(`#${id} canvas`, { timeout: 5_000 }).catch(() => null)) drawn.push(id);
  }
  check('statistics charts drawn', drawn.length === 3, drawn.join(','));
  check('cases by province on the standard map too', (await page.$('#stats-map[data-map="standard"]')) !== null);
  await page.click('#lang-switch');
  await page.waitForSelector('#stats-daily-text:not(:empty)');
  check('daily report in Chinese', (await page.textContent('#stats-daily-text')).includes('接报案件'));
  const daysFile = await saveCsv('button[data-csv="stats-by-day"]');
  check('figures by day export as CSV, headed in Chinese', /^stats-by-day-\d{4}-\d\d-\d\d\.csv$/.test(daysFile.name) &&
    isBom(daysFile.bytes) && daysFile.lines[0].startsWith('日期,案件数,已串并案件,损失（元）') && /^\d{4}-\d\d-\d\d,\d+,/.test(daysFile.lines[1]),
  `${daysFile.name}\n${daysFile.lines.slice(0, 3).join('\n')}`);
  if (await page.waitForSelector('#stats-totals', { timeout: 10_000 }).catch(() => null)) {  // a centre's
    const stages = await page.waitForSelector('#stats-stages', { timeout: 10_000 }).catch(() => null);
    check('time at each stage, with the case moved to 立案', stages !== null && (await stages.textContent()).includes('立案'));
    const stageRegions = await columnOf('#stats-stages', 0);
    check('the stages table names each region beside its code', regionsNamed(stageRegions), stageRegions.slice(0, 5).join(' | '));
  }
  await page.waitForTimeout(1000);
  await shot('10-stats-zh');

  await page.click('#nav-gang');
  await page.waitForSelector('#gang-out > *');
  // The clusters arrive after the page: the server links the stored cases on first request.
  // An <option> is never visible to Playwright: waited for as visible, it took the whole 20 s.
  await page.waitForSelector('#gang-pick option', { state: 'attached', timeout: 20_000 }).catch(() => undefined);
  const clusters = await page.$$eval('#gang-pick option', (o) => o.length).catch(() => 0);
  await page.waitForSelector('#gang-chart canvas', { timeout: 20_000 }).catch(() => undefined);
  check('gang link chart drawn', clusters > 0 && (await page.$('#gang-chart canvas')) !== null, `clusters=${clusters}`);
  await shot('07-gang-drawn');
  // The gang explored from one case (the one naming the most shared identifiers): cases and
  // identifiers are nodes, the case asked for highlighted; a click on an identifier shows its
  // details and the cases sharing it, a second click hides them again; filters redraw it smaller.
  const linked = await page.evaluate(async () => (await fetch('/api/clusters')).json());
  const biggest = [...linked.clusters].sort((a, b) => b.cases.length - a.cases.length)[0];
  const naming = new Map();
  for (const e of biggest?.evidence ?? []) {
    if (e.kind === 'money' || e.kind === 'narrative') continue;
    for (const c of e.cases) naming.set(c, (naming.get(c) ?? 0) + 1);
  }
  const gangCase = [...naming].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? '';
  const gangChart = () => page.$eval('#gang-chart', (e) => ({ ...e.dataset, nodes: Number(e.dataset.nodes), cases: Number(e.dataset.cases),
    identifiers: Number(e.dataset.identifiers) }));
  // An action that redraws the chart, and the chart laid out again after it.
  const redrawn = async (action) => {
    await page.$eval('#gang-chart', (e) => { e.dataset.layoutMs = ''; });
    await action();
    await page.waitForFunction(() => document.querySelector('#gang-chart')?.dataset.layoutMs, null, { timeout: 20_000 });
    return gangChart();
  };
  // A real click on a drawn node, where Cytoscape shows it.
  const clickNode = async (id) => {
    // In view first: Cytoscape reads where its container is again after the scroll event.
    await page.$eval('#gang-chart', (box) => box.scrollIntoView({ block: 'center' }));
    await page.waitForTimeout(300);
    const at = await page.evaluate((id) => {
      const box = document.querySelector('#gang-chart');
      const p = box.cy.$id(id).renderedPosition();
      const r = box.getBoundingClientRect();
      return { x: r.x + p.x, y: r.y + p.y };
    }, id);
    await page.mouse.click(at.x, at.y);
  };
  const nodesOf = (pred) => page.evaluate((pred) => document.querySelector('#gang-chart').cy.nodes().map((n) => n.data())
    .filter((d) => (pred === 'more' ? d.type === 'identifier' && d.more > 0 : d.type === pred)).map((d) => d.id), pred);
  await page.goto(`${base}/#/gang/${encodeURIComponent(gangCase)}`);
  await page.waitForFunction((id) => document.querySelector('#gang-case')?.value === id && document.querySelector('#gang-chart')?.dataset.layoutMs,
    gangCase, { timeout: 20_000 });
  const start = await gangChart();
  const highlighted = await page.evaluate(() => document.querySelector('#gang-chart').cy.nodes('[?asked]').map((n) => [n.id(), n.style('border-width')]));
  check('the gang chart draws cases and their shared identifiers, the case asked for highlighted', gangCase !== '' && start.cases > 0 &&
    start.identifiers > 0 && JSON.stringify(highlighted) === JSON.stringify([[gangCase, '4px']]) &&
    (await page.textContent('#gang-legend')).includes('查询的案件'), `${gangCase} ${JSON.stringify(start)} ${JSON.stringify(highlighted)}`);
  log(`gang of ${gangCase}: ${start.nodes} nodes first, laid out in ${start.layoutMs} ms`);
  const closed = (await nodesOf('more'))[0];
  if (closed) {
    const opened = await redrawn(() => clickNode(closed));
    const profileLink = await page.getAttribute('#gang-node #gang-node-open', 'href');
    const again = await redrawn(() => clickNode(closed));
    check('a click on an identifier shows it and the cases sharing it, a second click hides them', opened.nodes > start.nodes &&
      opened.cases > start.cases && profileLink?.startsWith('#/profile/') && again.nodes === start.nodes,
    `${closed}: ${start.nodes} -> ${opened.nodes} -> ${again.nodes}, ${profileLink}`);
  } else {
    check('an identifier of the case asked for to expand', false, JSON.stringify(start));
  }
  const other = (await nodesOf('case')).find((id) => id !== gangCase);
  await redrawn(() => clickNode(other));
  check('a click on a case shows it, with its page', (await page.getAttribute('#gang-node #gang-node-open', 'href')) === `#/trace/${encodeURIComponent(other)}`);
  const whole = await redrawn(() => page.click('#gang-expand-all'));
  const kind = await page.evaluate(() => document.querySelector('#gang-chart').cy.nodes('[type="identifier"]')[0]?.data('kind'));
  const fewerKinds = await redrawn(() => page.uncheck(`#gang-filters input[data-kind="${kind}"]`));
  check('unticking an evidence kind leaves out its identifiers', fewerKinds.identifiers < whole.identifiers && fewerKinds.nodes < whole.nodes,
    `${kind}: ${JSON.stringify(whole)} -> ${JSON.stringify(fewerKinds)}`);
  await redrawn(() => page.check(`#gang-filters input[data-kind="${kind}"]`));
  const lastDay = await page.getAttribute('#gang-from', 'max');
  const later = await redrawn(() => page.fill('#gang-from', lastDay));
  check('the report days leave out the cases reported before them', later.cases < whole.cases, `${lastDay}: ${JSON.stringify(later)}`);
  await redrawn(async () => page.fill('#gang-from', await page.getAttribute('#gang-from', 'min')));
  await shot('07-gang-explore-zh');
  await page.click('#lang-switch');
  await page.waitForSelector('#gang-chart[data-layout-ms]:not([data-layout-ms=""])', { timeout: 20_000 });
  check('the gang chart in English', (await page.textContent('#gang-legend')).includes('Case asked for') &&
    (await page.textContent('#gang-notes')).includes('nodes drawn'), await page.textContent('#gang-notes'));
  await shot('07-gang-explore-en');
  await page.click('#lang-switch');
  await page.waitForSelector('#gang-chart[data-layout-ms]:not([data-layout-ms=""])', { timeout: 20_000 });
  // Leaving it, mid-layout, must not throw.
  await page.click('#nav-leads');
  await page.waitForSelector('#leads-map');
  await page.waitForSelector('#leads-map canvas', { timeout: 20_000 }).catch(() => undefined);
  check('leads on the standard map the server was given',
    (await page.$('#leads-map[data-map="standard"] canvas')) !== null);
  await shot('08-leads-map');
  // A lead's feedback from the page: a bad count is named, then the lead is accepted with what
  // came of it, and the table shows it.
  const form = await page.waitForSelector('#leads-feedback form');
  const leadId = (await form.getAttribute('id')).replace(/^lead-(\d+)-feedback$/, '$1');
  await page.selectOption(`#lead-${leadId}-status`, 'accepted');
  await page.fill(`#lead-${leadId}-arrests`, '1.5');
  await page.click(`#lead-${leadId}-feedback button[type=submit]`);
  await page.waitForSelector(`#lead-${leadId}-feedback .error:not(:empty)`);
  check('a count that is not whole is named before anything is sent',
    (await page.textContent(`#lead-${leadId}-feedback .error`)).includes('抓获'));
  await page.fill(`#lead-${leadId}-arrests`, '2');
  await page.fill(`#lead-${leadId}-recovered`, '1,000');
  await page.click(`#lead-${leadId}-feedback button[type=submit]`);
  await page.waitForFunction((id) => [...document.querySelectorAll('#leads-feedback tbody tr')]
    .some((r) => r.cells[0].textContent === id && r.cells[3].textContent === '已接收'), leadId);
  const fed = await page.$$eval('#leads-feedback tbody tr', (rows, id) => rows.filter((r) => r.cells[0].textContent === id)
    .map((r) => [...r.cells].slice(0, 7).map((c) => c.textContent)), leadId);
  check('a lead accepted from the page with its arrests and money recovered', fed.length === 1 &&
    fed[0][4] === '2' && fed[0][6].includes('1,000.00'), JSON.stringify(fed));
  const jurisdictions = await columnOf('#leads-feedback', 1);
  check("the leads name each jurisdiction beside its code", regionsNamed(jurisdictions), jurisdictions.slice(0, 5).join(' | '));
  await shot('08c-lead-feedback-zh');
  // The pages seen in English above, in Chinese too.
  await page.click('#nav-orders');
  await page.waitForSelector('#orders-table');
  await shot('11-orders-zh');
  await page.click(`#orders-table a.order-notice[href="#/orders/${firstId}"]`);
  await page.waitForSelector('#notice');
  await shot('11-notice-zh');
  await page.click('#nav-takedowns');
  await page.waitForSelector('#takedowns-out > *');
  await shot('11-takedowns-zh');
  await page.click('#nav-hotline');
  await page.fill('#hotline-region', '');  // a centre's whole queue: why each person is warned
  await page.press('#hotline-region', 'Enter');
  await page.waitForSelector('#hotline-out > *');
  const wholeQueue = await columnOf('#hotline-queue', 1);
  check("the centre's whole warning queue names each region beside its code", regionsNamed(wholeQueue), wholeQueue.slice(0, 5).join(' | '));
  await shot('11-hotline-zh', false);  // a hundred rows: the top of the page is picture enough

  // A centre manages its users: it adds one of its region, disables it and enables it again.
  await page.click('#nav-users');
  await page.waitForSelector('#users-table');
  await page.fill('#user-name', 'zhao01');
  await page.selectOption('#user-role', 'investigator');
  await page.fill('#user-region', '330100');
  await page.fill('#user-password', 'e2e-zhao-secret');
  await page.click('#user-add button[type=submit]');
  await page.waitForSelector('#user-added');
  await page.click('#user-disable-zhao01');
  await page.waitForSelector('#user-enable-zhao01');
  check('a centre adds a user and disables it', (await page.textContent('#users-table')).includes('已停用') &&
    (await page.$('#user-disable-wang')) === null, await page.textContent('#users-table'));
  const zhaoRegion = await page.$$eval('#users-table tbody tr', (rows) => rows.filter((r) => r.cells[0].textContent === 'zhao01').map((r) => r.cells[2].textContent));
  check("a user's region is its code then its name", zhaoRegion[0] === '330100 杭州市', JSON.stringify(zhaoRegion));
  await shot('11-users-zh');
  await page.click('#user-enable-zhao01');
  await page.waitForSelector('#user-disable-zhao01');

  // An investigator lands on the queue too, with its region's cases only; on a case it may take
  // the case, and neither give it to someone else nor give back another's.
  await page.click('#logout');
  await page.waitForSelector('#login-form');
  await page.fill('#login-user', 'li01');
  await page.fill('#login-password', 'e2e-secret-pw');
  await page.click('#login-submit');
  await page.waitForSelector('#cases-table, #cases-out .error');
  const regional = await page.$$eval('#cases-table tbody tr', (rows) => rows.map((r) => r.cells[0].textContent));
  check("an investigator lands on its region's queue", (await page.getAttribute('#nav-cases', 'class')) === 'active' &&
    regional.includes('E2E-0001') && regional.length < allCases, JSON.stringify(regional));
  await shot('12-cases-investigator-zh');
  await page.click('#cases-table a[href="#/trace/E2E-0001"]');
  await page.waitForSelector('#work-officer');
  check('an investigator sees who has the case, and no box to give it away', (await page.textContent('#work-officer')) === 'wang' &&
    (await page.$('#work-take')) !== null && (await page.$('#work-assign-to')) === null && (await page.$('#work-give-back')) === null);
  await page.waitForSelector('#work-timeline');
  await shot('12-case-work-investigator-zh');

  // A bank liaison answers the orders sent to its institution. The centre sends the reported case's
  // drafts; the institution with the most of them gets a liaison (added with the CLI, as the others
  // are), who lands on its orders to answer: only its institution's, the most urgent first, and only
  // the two answers a bank may give. It executes one (a bad amount named first, nothing sent) and
  // rejects one (a reason needed), and sees both in its history, filtered by status.
  const centreApi = (p, body) => fetch(`${base}${p}`, body === undefined ? { headers: bearer }
    : { method: 'POST', headers: { ...bearer, 'Content-Type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json());
  for (const o of (await centreApi('/api/freeze-orders?case=E2E-0001')).orders.filter((x) => x.status === 'planned')) {
    await centreApi(`/api/freeze-orders/${o.id}/move`, { to: 'sent' });
  }
  // And stop-payments of the first generated cases, sent at once (the one-click stop-payment): the
  // first pays the mule chain the reported case pays, so its banks get a second order, more urgent.
  const worldCases = fs.readFileSync(path.join(world, 'cases.jsonl'), 'utf8').split('\n').filter(Boolean).slice(0, 3).map((l) => JSON.parse(l).id);
  for (const [i, id] of worldCases.entries()) {
    await centreApi(`/api/cases/${encodeURIComponent(id)}/freeze-orders`, { reason: 'e2e', kind: 'stop_payment', document: `e2e止〔2026〕${i + 1}号`, send: true });
  }
  const everyOrder = async () => (await centreApi('/api/freeze-orders')).orders;
  const beforeBank = await everyOrder();
  const sentBy = new Map();
  for (const o of beforeBank) if (o.status === 'sent' && o.institution) sentBy.set(o.institution, (sentBy.get(o.institution) ?? 0) + 1);
  const [bankInst, bankSent] = [...sentBy].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ['', 0];
  const otherInst = beforeBank.filter((o) => o.institution && o.institution !== bankInst);
  log(`bank liaison of ${bankInst}: ${bankSent} orders sent to it; ${otherInst.length} orders of other institutions`);
  check('orders sent to an institution for its liaison to answer', bankSent >= 2, JSON.stringify([...sentBy]));
  run(['user', 'add', 'bank01', '--role', 'bank', '--institution', bankInst, '--db', db], 'e2e-secret-pw\n');
  const rejectReason = '账户已于指令送达前销户';
  ourData.push(rejectReason, bankInst);  // typed, and the institution's name: data
  const loginAs = async (name) => {
    await page.click('#logout');
    await page.waitForSelector('#login-form');
    await page.fill('#login-user', name);
    await page.fill('#login-password', 'e2e-secret-pw');
    await page.click('#login-submit');
  };
  await loginAs('bank01');
  const bankShown = () => page.waitForSelector('#bank-history-out, #bank-pending .error');
  await bankShown();
  const bankRows = (table) => page.$$eval(`#${table} tbody tr`, (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent))).catch(() => []);
  const pendingRows = await bankRows('bank-pending-table');
  const bankOrders = beforeBank.filter((o) => o.institution === bankInst);
  const byId = new Map(beforeBank.map((o) => [String(o.id), o]));
  check('a bank liaison lands on the orders sent to its institution, without typing anything',
    (await page.getAttribute('#nav-bank', 'class')) === 'active' && (await page.textContent('#nav-bank')) === '待处理指令' &&
    pendingRows.map((r) => r[0]).sort().join() === bankOrders.filter((o) => o.status === 'sent').map((o) => String(o.id)).sort().join(),
  JSON.stringify(pendingRows).slice(0, 400));
  check("each order with its case, account, holder, amount in yuan, kind, document, deadline, time waited and notice",
    pendingRows.every((r) => { const o = byId.get(r[0]); return o && r[1] === ({ stop_payment: '止付', freeze: '冻结', release: '解冻' })[o.kind] &&
      r[2] === o.case && r[3] === o.account && r[4] === o.holder && /^\d{1,3}(,\d{3})*\.\d\d$/.test(r[5]) && r[6] === o.document &&
      /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(r[7]) && (r[8] === '收到即办' || /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(r[8])) && r[9] !== ''; }) &&
    (await page.$$eval('#bank-pending-table a.order-notice', (a) => a.length)) === pendingRows.length,
  JSON.stringify(pendingRows).slice(0, 400));
  const shownIds = async () => [...(await bankRows('bank-pending-table')), ...(await bankRows('bank-history-table'))].map((r) => r[0]);
  const foreign = (await shownIds()).filter((id) => byId.get(id)?.institution !== bankInst);
  check("the bank's page shows no order of another institution", foreign.length === 0 && otherInst.every((o) => !pendingRows.some((r) => r[0] === String(o.id))),
    foreign.join());
  const answers = await page.$$eval('#bank-pending-table tbody tr:first-child .bank-answer button', (b) => b.map((x) => x.textContent));
  check('only the answers a bank may give: 已冻结 and 已拒绝', JSON.stringify(answers) === JSON.stringify(['已冻结', '已拒绝']), JSON.stringify(answers));
  // 待办提醒: the orders waiting for its answer are pushed to its bell, counted on the badge; the
  // list links each to its order.
  await page.waitForFunction((n) => document.querySelector('#notify-count')?.textContent === String(n), pendingRows.length, { timeout: 15000 })
    .catch(() => {});
  check('the bell counts the orders waiting for the bank', (await page.textContent('#notify-count')) === String(pendingRows.length),
    `${await page.textContent('#notify-count')} of ${pendingRows.length}`);
  await page.click('#notify-bell');
  const notices = await page.$$eval('#notify-list a.notice', (a) => a.map((x) => [x.getAttribute('href'), x.dataset.kind, x.textContent]));
  check('each notice names its order in Chinese and links to it',
    notices.length === pendingRows.length && notices.every(([href, kind, text]) => kind === 'order_unanswered' &&
      pendingRows.some((r) => href === `#/orders/${r[0]}`) && text.includes('待银行答复')), JSON.stringify(notices).slice(0, 400));
  await shot('15a-bank-notifications-zh');
  await page.click('#notify-bell');  // closing the list marks them seen
  check('opened notices leave the badge', await page.isHidden('#notify-count'));
  await shot('15-bank-zh');
  // Executed: the amount held, prefilled with the amount asked for, checked before it is sent.
  const execId = pendingRows[0]?.[0];
  const rejectId = pendingRows[1]?.[0];
  const bankRow = (id) => `#bank-order-${id}`;
  check('the amount held starts as the amount asked for', (await page.inputValue(`${bankRow(execId)}-amount`)) === pendingRows[0][5]);
  const moves = [];
  page.on('request', (r) => { if (/\/api\/freeze-orders\/\d+\/move$/.test(r.url())) moves.push(r.url()); });
  await page.fill(`${bankRow(execId)}-amount`, '100.001');
  await page.click(`${bankRow(execId)} .bank-execute`);
  await page.waitForSelector(`${bankRow(execId)} .error[data-field="amount"]`);
  check('a bad amount is named and nothing sent', (await page.textContent(`${bankRow(execId)} .error`)).includes('最多两位小数') && moves.length === 0);
  const held = byId.get(execId)?.amount ?? '0.00';
  await page.fill(`${bankRow(execId)}-amount`, held);
  await page.click(`${bankRow(execId)} .bank-execute`);
  await page.waitForFunction((id) => !document.querySelector(`#bank-order-${id}`) && document.querySelector('#bank-history-table'), execId);
  // Rejected: a reason needed.
  await page.click(`${bankRow(rejectId)} .bank-reject`);
  await page.waitForSelector(`${bankRow(rejectId)} .error[data-field="reason"]`);
  check('a rejection without its reason is refused on the page', (await page.textContent(`${bankRow(rejectId)} .error`)).includes('原因') && moves.length === 1);
  await page.fill(`${bankRow(rejectId)}-reason`, rejectReason);
  await page.click(`${bankRow(rejectId)} .bank-reject`);
  await page.waitForFunction((id) => !document.querySelector(`#bank-order-${id}`) &&
    [...document.querySelectorAll('#bank-history-table tbody tr')].some((r) => r.cells[0].textContent === id), rejectId);
  // The answered orders leave the bell's list at its next push.
  const listed = () => page.$$eval('#notify-list a.notice', (a) => a.map((x) => x.getAttribute('href')));
  await page.waitForFunction((n) => document.querySelectorAll('#notify-list a.notice').length === n, pendingRows.length - 2, { timeout: 15000 })
    .catch(() => {});
  const left = await listed();
  check('orders answered leave the notifications', left.length === pendingRows.length - 2 &&
    !left.includes(`#/orders/${execId}`) && !left.includes(`#/orders/${rejectId}`), JSON.stringify(left));
  const hist = await bankRows('bank-history-table');
  const histOf = (id) => hist.find((r) => r[0] === id) ?? [];
  check('the history shows the order executed with the amount held and the one rejected with its reason',
    histOf(execId)[7] === '已冻结' && histOf(execId)[6] === pendingRows[0][5] && /^\d{4}-\d\d-\d\d \d\d:\d\d$/.test(histOf(execId)[11] ?? '') &&
    histOf(rejectId)[7] === '被拒绝' && histOf(rejectId)[8] === rejectReason && hist.every((r) => byId.get(r[0])?.institution === bankInst),
  JSON.stringify(hist).slice(0, 600));
  await page.selectOption('#bank-history-status', 'rejected');
  const onlyRejected = await bankRows('bank-history-table');
  check('the history filters by status', onlyRejected.length >= 1 && onlyRejected.every((r) => r[7] === '被拒绝') &&
    onlyRejected.some((r) => r[0] === rejectId), JSON.stringify(onlyRejected).slice(0, 300));
  const bankFile = await saveCsv('button[data-csv="bank-history"]');
  check("the bank's history exports as CSV", /^bank-history-\d{4}-\d\d-\d\d\.csv$/.test(bankFile.name) && isBom(bankFile.bytes) &&
    bankFile.lines[0].startsWith('系统单号,类型,案件编号,账户,户名,申请冻结,已冻结,状态') &&
    bankFile.lines.some((l) => l.startsWith(`${rejectId},`) && l.includes(`,被拒绝,${rejectReason},`)),
  `${bankFile.name}\n${bankFile.lines.slice(0, 3).join('\n')}`);
  await page.selectOption('#bank-history-status', '');
  const [afterExec, afterReject] = await Promise.all([execId, rejectId].map((id) => centreApi(`/api/freeze-orders/${id}`)));
  check('the answers stored: executed with the amount held, rejected with its reason', afterExec.status === 'executed' &&
    afterExec.frozen === held && afterReject.status === 'rejected' && afterReject.reason === rejectReason,
  JSON.stringify([afterExec, afterReject]).slice(0, 400));
  await shot('15b-bank-answered-zh');
  await page.click('#lang-switch');
  await bankShown();
  // The page is drawn again in English once its lists come back: wait for that, not for the old one.
  await page.waitForFunction(() => document.querySelector('#nav-bank')?.textContent === 'Orders to answer' &&
    (document.querySelector('#bank-history')?.textContent ?? '').includes('Executed'), null, { timeout: 15000 }).catch(() => {});
  check('the bank page in English', (await page.textContent('#nav-bank')) === 'Orders to answer' &&
    (await page.textContent('#bank-history')).includes('Executed'), await page.textContent('main'));
  await shot('15c-bank-en');
  await page.click('#lang-switch');
  await bankShown();
  await page.waitForFunction(() => document.querySelector('#nav-bank')?.textContent === '待处理指令', null, { timeout: 15000 })
    .catch(() => {});
  // The orders page a bank may open too: only its answers offered, on its institution's orders.
  await page.click('#nav-orders');
  await page.waitForSelector('#orders-table, #orders-out .muted, #orders-out .error');
  const bankMoves = await page.$$eval('#orders-table .move select option', (o) => [...new Set(o.map((x) => x.value))]);
  const bankList = await page.$$eval('#orders-table tbody tr', (rows) => rows.map((r) => r.cells[4].textContent));
  check("the orders page offers a bank only its answers, on its institution's orders", bankMoves.every((m) => m === 'executed' || m === 'rejected') &&
    bankList.length > 0 && bankList.every((i) => i === bankInst), JSON.stringify([bankMoves, bankList.slice(0, 5)]));
  await shot('15d-bank-orders-zh');

  // A hotline operator lands on its region's warning queue, in Chinese and in English.
  await loginAs('hot01');
  await page.waitForSelector('#hotline-out > *');
  const hotRows = await page.$$eval('#hotline-queue tbody tr', (r) => r.length).catch(() => 0);
  check("a hotline operator lands on its region's warning queue", (await page.getAttribute('#nav-hotline', 'class')) === 'active' &&
    (await page.inputValue('#hotline-region')) === hotlineRegion && (hotRows > 0 || (await page.$('#hotline-out .muted')) !== null),
  await page.textContent('main'));
  if (hotRows > 0) {
    const own = await columnOf('#hotline-queue', 1);
    check("a hotline operator's queue names each region beside its code", regionsNamed(own), own.slice(0, 5).join(' | '));
  }
  await shot('16-hotline-operator-zh');
  if (hotRows > 0) {
    await page.fill('#hotline-queue tbody tr:first-child input.saved', '12.345');
    await page.click('#hotline-queue tbody tr:first-child button[data-outcome="reached"]');
    await page.waitForSelector('#hotline-queue tbody tr:first-child .outcomes .error[data-field="saved"]');
    check('a bad amount saved is named before anything is sent',
      (await page.textContent('#hotline-queue tbody tr:first-child .outcomes .error')).includes('最多两位小数'));
    await page.fill('#hotline-queue tbody tr:first-child input.saved', '1,500');
    await page.click('#hotline-queue tbody tr:first-child button[data-outcome="reached"]');
    await page.waitForSelector('#hotline-queue tbody tr:first-child .outcomes .ok, #hotline-queue tbody tr:first-child .error');
    check('a hotline operator records an outcome', (await page.textContent('#hotline-queue tbody tr:first-child .outcomes')) === '已记录：已联系',
      await page.textContent('#hotline-queue tbody tr:first-child'));
  }
  await page.click('#lang-switch');
  await page.waitForSelector('#hotline-out > *');
  await shot('16b-hotline-operator-en');
  await page.click('#lang-switch');
  await page.waitForSelector('#hotline-out > *');
  await page.click('#nav-stats');
  await page.waitForSelector('#stats-daily-text:not(:empty), #stats-daily .error');
  await page.waitForTimeout(1500);
  check("a hotline operator's statistics draw", (await page.$('#stats-out .error')) === null, await page.textContent('#stats-out'));
  await shot('16c-hotline-stats-zh');

  // The centre's orders page shows what the bank answered.
  await loginAs('wang');
  await page.waitForSelector('#nav-orders');
  await page.click('#nav-orders');
  await page.waitForSelector('#orders-table');
  const statusOf = (id) => page.$$eval('#orders-table tbody tr', (rows, id) => rows.find((r) => r.cells[0].textContent === id)?.cells[7].textContent, id);
  const [centreExec, centreReject] = [await statusOf(execId), await statusOf(rejectId)];
  check("the centre's orders page shows the bank's answers", centreExec === '已冻结' && centreReject === '被拒绝', `${centreExec} ${centreReject}`);
  await shot('15e-orders-after-bank-zh');

  // An auditor lands on the audit log (oldest first, a page at a time), verifies the chain, filters
  // the page, pages on and back, exports it; in Chinese and in English.
  await page.click('#logout');
  await page.waitForSelector('#login-form');
  await page.fill('#login-user', 'shen01');
  await page.fill('#login-password', 'e2e-secret-pw');
  await page.click('#login-submit');
  const auditShown = (q) => page.waitForSelector(`#audit-out[data-loaded="${q}"], #audit-out .error`);
  await auditShown('');
  const auditRows = () => page.$$eval('#audit-table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
  const firstAudit = await auditRows();
  check('an auditor lands on the audit log, oldest first, in China time', (await page.getAttribute('#nav-audit', 'class')) === 'active' &&
    firstAudit.length === 100 && firstAudit[0][0] === '1' && firstAudit.every((r, i) => r[0] === String(i + 1)) &&
    firstAudit.every((r) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/.test(r[1])) && (await page.textContent('#audit-range')) === '第 1–100 条，筛选后显示 100 条',
  JSON.stringify(firstAudit.slice(0, 2)));
  // What the log holds is shown as the server stored it (users, targets, details in English).
  const logData = async (after) => {
    const a = await page.evaluate(async (q) => (await fetch(`/api/audit?${q}`)).json(), `after=${after}&limit=100`);
    // A user.add's detail names a role, which the page says in its language: not data.
    return a.entries.flatMap((e) => [e.user, e.target, e.action === 'user.add' ? '' : e.detail, e.reason].map((x) => (x ?? '').trim()));
  };
  await page.click('#audit-verify');
  await page.waitForSelector('#audit-verify-out[data-ok]');
  check('校验 says the chain is intact', (await page.getAttribute('#audit-verify-out', 'data-ok')) === 'true' &&
    /^审计链完整：共 \d+ 条记录，链头 \d+:[0-9a-f]{64}$/.test(await page.textContent('#audit-verify-out')), await page.textContent('#audit-verify-out'));
  await shot('14-audit-zh', true, await logData(0));
  await page.selectOption('#audit-action', 'login');
  const logins = await auditRows();
  check('the page filters by action', logins.length > 0 && logins.length < 100 && logins.every((r) => r[4] === '登录'), JSON.stringify(logins).slice(0, 300));
  await page.selectOption('#audit-action', '');
  await page.selectOption('#audit-user', 'wang');
  await page.fill('#audit-text', 'E2E-0001');
  const wangs = await auditRows();
  check('the page filters by user and target text', wangs.length > 0 && wangs.every((r) => r[2] === 'wang' && r.join(' ').includes('E2E-0001')),
    JSON.stringify(wangs).slice(0, 300));
  const auditFile = await saveCsv('button[data-csv="audit"]');
  check('the filtered log exports as CSV', /^audit-\d{4}-\d\d-\d\d\.csv$/.test(auditFile.name) && isBom(auditFile.bytes) &&
    auditFile.lines[0] === '序号,时间,用户,角色,操作,对象,事由,详情,哈希值' && auditFile.lines.filter(Boolean).length === wangs.length + 1,
  `${auditFile.name}\n${auditFile.lines.slice(0, 3).join('\n')}`);
  await page.click('#audit-next');
  await auditShown('after=100');
  const second = await auditRows();
  check('the log pages on', second[0]?.[0] === '101' && (await page.textContent('#audit-range')).startsWith('第 101–') &&
    (await page.evaluate(() => location.hash)) === `#/audit/${encodeURIComponent('after=100')}`, JSON.stringify(second.slice(0, 1)));
  await page.click('#audit-prev');
  await auditShown('');
  check('and back', (await auditRows())[0]?.[0] === '1');
  await page.click('#lang-switch');
  await auditShown('');
  await page.click('#audit-verify');
  await page.waitForSelector('#audit-verify-out[data-ok]');
  check('the audit log in English', (await page.textContent('h2')).startsWith('Audit log') &&
    (await page.textContent('#audit-verify-out')).startsWith('The chain is intact:') &&
    (await page.textContent('#audit-range')).startsWith('Entries 1–100'), await page.textContent('#audit-verify-out'));
  await shot('14b-audit-en', true, await logData(0));
  await page.click('#lang-switch');
  await auditShown('');
  await page.waitForTimeout(1000);
  check('no script errors in the page', errors.length === 0, errors.join('\n'));
  check('no Content-Security-Policy violations', cspViolations.length === 0, cspViolations.slice(0, 5).join('\n'));
} catch (e) {
  failed++;
  failures.push(String(e.stack ?? e).slice(0, 600));
  log(`FAIL ${e.stack ?? e}`);
} finally {
  if (context) await context.close().catch(() => undefined);
  if (server && server.exitCode === null) {
    server.kill('SIGTERM');
    await new Promise((r) => { const t = setTimeout(() => { server.kill('SIGKILL'); r(); }, 5000); server.once('exit', () => { clearTimeout(t); r(); }); });
  }
  fs.rmSync(tmp, { recursive: true, force: true });
}
log(`screenshots in ${artifacts}`);
for (const f of failures) log(`failed: ${f}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
