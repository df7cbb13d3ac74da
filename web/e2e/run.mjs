// End-to-end journeys of the workbench in a real browser: Debian's Chromium
// driven by playwright-core, against a `vigil serve` this script starts on a
// world it generates (vigil simulate, ingest, resolve, alerts; users added
// with `vigil user add`). Every page is checked with axe-core (no serious or
// critical violation) and screenshotted into --out.
//
//   node e2e/run.mjs --vigil BUILD/src/cli/vigil --dist web/dist --out BUILD/web-e2e
//       [--only journey,journey]
//
// Prints one line per journey (PASS/FAIL with the reason) and a closing
// "N passed, N failed" line; exits 1 when a journey failed, 77 (CTest's
// SKIP_RETURN_CODE) when Chromium is not installed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { decisionJourneys } from './decisions.mjs';
import { networkJourneys } from './network.mjs';
import { protectJourneys } from './protect.mjs';

const require = createRequire(import.meta.url);
const CHROMIUM = process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium';
const PASSWORD = 'e2e correct horse battery';

function args() {
  const out = { vigil: '', dist: '', out: 'build/web-e2e', only: [] };
  const argv = process.argv.slice(2);
  for (let i = 0; i < argv.length; i += 2) {
    const key = argv[i]?.replace(/^--/, '');
    const value = argv[i + 1] ?? '';
    if (key === 'only') out.only = value.split(',').filter(Boolean);
    else if (key in out) out[key] = value;
  }
  if (!out.vigil || !out.dist) {
    console.error('usage: node e2e/run.mjs --vigil VIGIL --dist DIST [--out DIR] [--only a,b]');
    process.exit(2);
  }
  return out;
}

const options = args();
if (!existsSync(CHROMIUM)) {
  console.log(`SKIP: ${CHROMIUM} not found (apt-get install chromium)`);
  process.exit(77);
}
if (!existsSync(join(options.dist, 'index.html'))) {
  console.error(`FAIL: ${options.dist}/index.html missing (build the workbench: cmake --build BUILD --target web)`);
  process.exit(1);
}
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const { chromium } = await import('playwright-core');
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
mkdirSync(options.out, { recursive: true });
const shots = resolve(options.out);

// ---- The world -------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'vigil-e2e-'));
const db = join(work, 'vigil.db');
const vigil = resolve(options.vigil);

function run(argv, env = {}, input = undefined) {
  const result = spawnSync(vigil, [...argv, '--db', db], {
    env: { ...process.env, ...env },
    input,
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (result.status !== 0) {
    throw new Error(`vigil ${argv.join(' ')} failed (${result.status}): ${result.stderr || result.stdout}`);
  }
  return result.stdout;
}

function csv(path) {
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  const head = lines[0].split(',');
  return lines.slice(1).map((line) => {
    // Quoted fields with commas: enough for persons.csv's simple fields.
    const cells = [];
    let cell = '';
    let quoted = false;
    for (const ch of line) {
      if (ch === '"') quoted = !quoted;
      else if (ch === ',' && !quoted) {
        cells.push(cell);
        cell = '';
      } else cell += ch;
    }
    cells.push(cell);
    return Object.fromEntries(head.map((h, i) => [h, cells[i] ?? '']));
  });
}

const admin = { VIGIL_USER: 'admin', VIGIL_PASSWORD: PASSWORD, VIGIL_PURPOSE: 'e2e set-up' };
console.log(`world: ${work}`);
run(['simulate', '--out', join(work, 'world'), '--seed', '3', '--people', '300', '--days', '400']);
run(['ingest', join(work, 'world')]);
run(['resolve', '--out', join(work, 'links.csv')]);
run(['alerts', '--out', join(work, 'alerts.csv')]);
run(['user', 'add', 'admin', '--role', 'admin'], { VIGIL_NEW_PASSWORD: PASSWORD });
// A grant of compartments waits for a second admin (four eyes).
run(['user', 'add', 'admin2', '--role', 'admin'], { ...admin, VIGIL_NEW_PASSWORD: PASSWORD });
const admin2 = { ...admin, VIGIL_USER: 'admin2' };
for (const [name, role, compartment] of [
  ['analyst', 'analyst', '*'],
  ['supervisor', 'supervisor', '*'],
  ['supervisor2', 'supervisor', '*'],
  ['auditor', 'auditor', ''],
  ['limited', 'analyst', 'CT-A'],
]) {
  const extra = compartment ? ['--compartment', compartment] : [];
  run(['user', 'add', name, '--role', role, ...extra], { ...admin, VIGIL_NEW_PASSWORD: PASSWORD });
  if (compartment) run(['user', 'approve-grant', name, compartment], admin2);
}
run(['watchlist', 'configure', 'SHARED-CT', '--compartment', 'general', '--shared'], admin);

const persons = csv(join(work, 'world', 'persons.csv'));
const hiddenFromLimited = persons.filter((p) => p.compartment !== 'CT-A');

// ---- The servers -----------------------------------------------------------

const servers = [];
function serve(extra = []) {
  return new Promise((resolvePort, reject) => {
    const child = spawn(vigil, ['serve', '--db', db, '--port', '0', '--web-root', resolve(options.dist), ...extra], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    servers.push(child);
    let text = '';
    const timer = setTimeout(() => reject(new Error(`vigil serve did not start: ${text}`)), 30_000);
    child.stderr.on('data', (chunk) => {
      text += chunk.toString();
      const found = /serving .* on http:\/\/[^:]+:(\d+)/.exec(text);
      if (found) {
        clearTimeout(timer);
        resolvePort(`http://127.0.0.1:${found[1]}`);
      }
    });
    child.on('exit', (code) => reject(new Error(`vigil serve exited ${code}: ${text}`)));
  });
}
const base = await serve();
// A second server on the same store whose sessions last 6 seconds, for the
// expired-session journey.
const shortBase = await serve(['--session-ttl', '6']);

// One API session per user (logins are rate-limited per address).
const tokens = new Map();
async function api(method, path, user, body) {
  if (!tokens.has(user)) {
    let login = await fetch(`${base}/v1/login`, { method: 'POST', body: JSON.stringify({ user, password: PASSWORD }) });
    for (let attempt = 0; login.status === 429 && attempt < 4; attempt++) {
      await new Promise((done) => setTimeout(done, (Number(login.headers.get('retry-after')) + 1) * 1000));
      login = await fetch(`${base}/v1/login`, { method: 'POST', body: JSON.stringify({ user, password: PASSWORD }) });
    }
    const reply = await login.json();
    if (!reply.token) throw new Error(`API login of ${user}: ${JSON.stringify(reply)}`);
    tokens.set(user, reply.token);
  }
  const token = tokens.get(user);
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { Authorization: `Bearer ${token}`, 'X-Vigil-Purpose': 'e2e check', 'Content-Type': 'application/json' },
    body: body ? JSON.stringify(body) : undefined,
  });
  return { status: response.status, json: await response.json() };
}

// ---- The browser -----------------------------------------------------------

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader', '--disable-gpu', '--no-first-run', '--disable-sync'],
});

const problems = []; // page errors and CSP refusals, per journey

async function newPage(journey) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (error) => problems.push(`${journey}: page error: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    if (/Content Security Policy|Refused to/i.test(text)) problems.push(`${journey}: CSP: ${text}`);
  });
  return page;
}

async function login(page, user, purpose, url = base) {
  await page.goto(url);
  await page.fill('input[name=user]', user);
  await page.fill('input[name=password]', PASSWORD);
  await page.fill('textarea[name=purpose]', purpose);
  // Logins are rate-limited per client address (all journeys share one):
  // on 429, wait as the server says and try again.
  for (let attempt = 0; ; attempt++) {
    await page.click('button[type=submit]');
    await page.waitForSelector('.topbar, .login-form .message.error');
    if (await page.$('.topbar')) return;
    const message = (await page.textContent('.login-form .message.error')) ?? '';
    const wait = /retry in (\d+) s/.exec(message);
    if (!wait || attempt > 3) throw new Error(`login of ${user} failed: ${message}`);
    await page.waitForTimeout((Number(wait[1]) + 1) * 1000);
  }
}

const a11y = [];
async function check(page, name) {
  await page.waitForLoadState('networkidle');
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: false });
  await page.evaluate(axeSource);
  const result = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length, help: v.help, target: v.nodes[0]?.target?.join(' ') }));
  });
  const bad = result.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  for (const v of bad) a11y.push(`${name}: ${v.impact} ${v.id} (${v.nodes} nodes, e.g. ${v.target}): ${v.help}`);
}

async function goto(page, path, ready) {
  await page.evaluate((p) => {
    history.pushState(null, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
  if (ready) await page.waitForSelector(ready);
}

function expect(condition, message) {
  if (!condition) throw new Error(message);
}

// Cyrillic spelling of a Latin name (Russian letters), which the server
// transliterates back (BGN/PCGN) and matches by sound.
const CYRILLIC = { a: 'а', b: 'б', d: 'д', e: 'е', f: 'ф', g: 'г', i: 'и', k: 'к', l: 'л', m: 'м', n: 'н', o: 'о', p: 'п', r: 'р', s: 'с', t: 'т', u: 'у', v: 'в', z: 'з' };
function cyrillic(name) {
  return name
    .split(' ')
    .map((word) => [...word.toLowerCase()].map((c) => CYRILLIC[c] ?? c).join(''))
    .map((word) => word[0].toUpperCase() + word.slice(1))
    .join(' ');
}
// A variant spelling: the given name's vowels changed (a->e, o->u, i->ee),
// the surname doubled at its last consonant.
function variant(name) {
  const [given, ...rest] = name.split(' ');
  const changed = given.replace(/a/g, 'e').replace(/o/g, 'u').replace(/i/g, 'ee');
  return [changed, ...rest].join(' ');
}

// ---- Journeys --------------------------------------------------------------

const journeys = {
  async login() {
    const page = await newPage('login');
    await page.goto(base);
    await check(page, '01-login');
    // The purpose is required.
    await page.fill('input[name=user]', 'analyst');
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.message.error');
    expect((await page.textContent('.message.error')).includes('purpose'), 'no purpose: no error naming the purpose');
    expect((await page.$('.topbar')) === null, 'logged in without a purpose');
    // A wrong password shows the server's message.
    await page.fill('input[name=password]', 'wrong password');
    await page.fill('textarea[name=purpose]', 'op lantern: e2e login');
    await page.click('button[type=submit]');
    await page.waitForFunction(() => document.querySelector('.message.error')?.textContent?.includes('HTTP 401'));
    // Logged in: the purpose in the header and on every call.
    const seen = [];
    page.on('request', (request) => {
      if (new URL(request.url()).pathname.startsWith('/v1/')) seen.push({ url: request.url(), headers: request.headers() });
    });
    await page.fill('input[name=password]', PASSWORD);
    await page.click('button[type=submit]');
    await page.waitForSelector('.topbar');
    expect((await page.textContent('.purpose')) === 'op lantern: e2e login', 'purpose not shown in the header');
    await goto(page, '/alerts', 'table.alerts tbody tr');
    await goto(page, '/ranking', '.rank-item');
    const calls = seen.filter((r) => !r.url.endsWith('/v1/login'));
    expect(calls.length >= 2, `expected API calls after login, saw ${calls.length}`);
    for (const call of calls) {
      expect(call.headers['x-vigil-purpose'] === 'op lantern: e2e login', `${call.url} without the purpose`);
      expect(/^Bearer [A-Za-z0-9_-]{20,}$/.test(call.headers['authorization'] ?? ''), `${call.url} without the token`);
      expect(!/token|bearer/i.test(call.url), `a token in a URL: ${call.url}`);
    }
    const stored = await page.evaluate(() => ({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie }));
    expect(stored.local === 0 && stored.session === 0 && stored.cookie === '', `browser storage used: ${JSON.stringify(stored)}`);
    await page.context().close();
  },

  async search() {
    const page = await newPage('search');
    await login(page, 'analyst', 'op lantern: e2e search');
    await check(page, '02-search-empty');
    // A person whose name transliterates cleanly: two words of plain letters.
    const person = persons.find((p) => /^[A-Z][abdefgiklmnoprstuvz]{3,} [A-Z][abdefgiklmnoprstuvz]{2,}$/.test(p.name) && !p.aliases && !/^[AEIOU]/.test(p.name.split(' ')[1]));
    expect(person, 'no person with a plain two-word name in the world');
    for (const [label, query] of [['variant', variant(person.name)], ['cyrillic', cyrillic(person.name)]]) {
      await page.fill('input[name=q]', query);
      await page.click('form[role=search] button[type=submit]');
      await page.waitForSelector('.results p.subtitle');
      const hit = page.locator('.hit', { has: page.locator(`text=${person.person_id}`) });
      expect((await hit.count()) === 1, `${label} spelling "${query}" did not find ${person.name} (${person.person_id})`);
      const explanation = (await hit.locator('.explanation').textContent()) ?? '';
      expect(explanation.length > 5, `${label}: no match explanation`);
      await check(page, `03-search-${label}`);
    }
    await page.locator('.hit a', { hasText: person.name }).first().click();
    await page.waitForSelector('.timeline svg');
    expect((await page.textContent('.page-header h1')) === person.name, 'subject page not opened');
    expect((await page.textContent('.subject-col')).includes(person.legal_basis), 'legal basis not shown');
    await check(page, '04-subject');
    // The timeline zooms by keyboard and brushes the visible window.
    await page.focus('.timeline-plot');
    const before = await page.textContent('.timeline .range');
    await page.keyboard.press('+');
    expect((await page.textContent('.timeline .range')) !== before, 'the timeline did not zoom');
    await page.keyboard.press('b');
    await page.waitForSelector('.timeline rect.brush');
    expect((await page.textContent('.timeline-events h3')).startsWith('Brushed window'), 'brush not applied');
    // By identifier: one of the person's identifiers finds them.
    const selector = await page.getAttribute('li.identifier[data-selector]', 'data-selector');
    if (selector) {
      await goto(page, '/', 'input[name=q]');
      await page.fill('input[name=q]', selector);
      await page.click('form[role=search] button[type=submit]');
      await page.waitForSelector('.results p.subtitle');
      expect((await page.locator('.hit', { hasText: person.person_id }).count()) === 1, `identifier ${selector} did not find ${person.person_id}`);
    }
    await page.context().close();
  },

  async link() {
    const page = await newPage('link');
    await login(page, 'analyst', 'op lantern: e2e link decisions');
    await goto(page, '/links', '.queue-item');
    await page.waitForSelector('.queue-item .side-by-side h3 >> text=Proposed owner');
    await check(page, '05-links');
    const item = page.locator('.queue-item').first();
    const selector = await item.getAttribute('data-selector');
    const person = await item.getAttribute('data-person');
    await item.locator('input.reason').fill('seen together in the handset seizure report');
    await item.locator('button[data-choice=confirm]').click();
    await item.locator('.message.ok').waitFor();
    const { json } = await api('GET', `/v1/persons/${person}`, 'analyst');
    const state = json.selectors.find((s) => s.selector === selector)?.state;
    expect(state === 'confirmed', `${selector} of ${person} is ${state}, not confirmed`);
    await goto(page, `/subject/${person}`, `li.identifier[data-selector="${selector}"]`);
    expect((await page.textContent(`li.identifier[data-selector="${selector}"] .badge`)) === 'confirmed', 'subject page does not show the confirmation');
    await page.context().close();
  },

  async review() {
    const page = await newPage('review');
    await login(page, 'supervisor', 'quarterly review board');
    await goto(page, '/reviews', '.queue-item');
    const item = page.locator('.queue-item').first();
    await item.locator('h3', { hasText: 'What changed since' }).waitFor();
    await check(page, '06-reviews');
    const person = await item.getAttribute('data-person');
    await item.locator('input.reason').fill('still in contact with the cell; renew for six months');
    await item.locator('button[data-choice=extend]').click();
    await item.locator('.message.ok').waitFor();
    const { json } = await api('GET', '/v1/reviews', 'supervisor');
    expect(!json.due.some((d) => d.person_id === person), `${person} is still due after the extension`);
    const audit = await api('GET', `/v1/audit?subject=${person}&user=supervisor`, 'auditor');
    expect(audit.json.records.some((r) => /review/.test(r.action) && r.purpose === 'quarterly review board'), 'the review decision is not in the audit log with its purpose');
    await page.context().close();
  },

  async fourEyes() {
    const proposed = await api('POST', '/v1/watchlist/entries', 'supervisor', { entry_id: 'WE2E0001', list: 'SHARED-CT', name: 'Ilyas Merdanov', reason: 'e2e four eyes' });
    expect(proposed.status === 200 && proposed.json.state === 'pending_approval', `proposal not pending: ${JSON.stringify(proposed.json)}`);
    // The proposer cannot approve: the server's refusal is shown.
    const first = await newPage('fourEyes');
    await login(first, 'supervisor', 'list maintenance');
    await goto(first, '/watchlist', 'tr[data-entry=WE2E0001]');
    await first.locator('tr[data-entry=WE2E0001] button[data-choice=approve]').click();
    await first.locator('tr[data-entry=WE2E0001] .message.error').waitFor();
    await first.context().close();
    // A second person approves.
    const page = await newPage('fourEyes');
    await login(page, 'supervisor2', 'list maintenance, second pair of eyes');
    await goto(page, '/watchlist', 'tr[data-entry=WE2E0001]');
    await check(page, '07-watchlist-proposals');
    await page.locator('tr[data-entry=WE2E0001] button[data-choice=approve]').click();
    await page.locator('tr[data-entry=WE2E0001] .message.ok').waitFor();
    const listed = await api('GET', '/v1/watchlist?q=WE2E0001', 'supervisor');
    expect(listed.json.entries.some((e) => e.entry_id === 'WE2E0001'), 'the approved entry is not listed');
    await page.context().close();
  },

  async limited() {
    const page = await newPage('limited');
    await login(page, 'limited', 'op lantern: compartment check');
    const hiddenIds = hiddenFromLimited.map((p) => p.person_id);
    const leaks = async (where) => {
      const text = await page.textContent('main');
      const found = hiddenIds.filter((id) => text.includes(id));
      expect(found.length === 0, `${where} shows hidden persons: ${found.slice(0, 5).join(', ')}`);
    };
    // Search: a hidden person by name and by id finds nothing hidden.
    for (const hidden of hiddenFromLimited.slice(0, 3)) {
      for (const query of [hidden.name, hidden.person_id, hidden.name.split(' ')[1]]) {
        await page.fill('input[name=q]', query);
        await page.click('form[role=search] button[type=submit]');
        await page.waitForSelector('.results p.subtitle');
        await leaks(`search "${query}"`);
      }
    }
    // The subject page of a hidden person: the server's not-found message.
    await goto(page, `/subject/${hiddenFromLimited[0].person_id}`, '.message.error');
    expect(!(await page.textContent('main')).includes(hiddenFromLimited[0].name), 'hidden name shown');
    await check(page, '08-limited-subject-refused');
    for (const [path, ready] of [['/alerts', 'p.subtitle'], ['/links', 'p.subtitle'], ['/reviews', 'p.subtitle'], ['/ranking', '.ranking, .empty'], ['/matches', 'p.subtitle, .message.error']]) {
      await goto(page, path, ready);
      await page.waitForLoadState('networkidle');
      await leaks(path);
    }
    // Counts: the alerts queue counts only what the user may see.
    await goto(page, '/alerts', 'p.subtitle');
    const mine = await api('GET', '/v1/alerts?limit=100000', 'limited');
    expect(mine.json.alerts.every((a) => !hiddenIds.includes(a.person_id)), 'the API gave a hidden alert');
    await page.context().close();
  },

  async expired() {
    const page = await newPage('expired');
    const purpose = 'op lantern: tasking 117, contacts of the subject';
    await login(page, 'analyst', purpose, shortBase);
    await goto(page, '/links', '.queue-item');
    const item = page.locator('.queue-item').first();
    const selector = await item.getAttribute('data-selector');
    const reason = 'not the same handset: the IMEI changed hands';
    await item.locator('input.reason').fill(reason);
    await page.waitForTimeout(7000); // the 6-second session expires
    await item.locator('button[data-choice=reject]').click();
    await page.waitForSelector('dialog.relogin[open]');
    await check(page, '09-session-expired');
    expect((await page.inputValue('dialog.relogin textarea[name=purpose]')) === purpose, 'the purpose was lost');
    expect((await page.inputValue('dialog.relogin input[name=user]')) === 'analyst', 'the user name was lost');
    await page.fill('dialog.relogin input[name=password]', PASSWORD);
    await page.click('dialog.relogin button[type=submit]');
    await item.locator('.message.ok').waitFor();
    expect((await item.locator('input.reason').inputValue()) === reason, 'the typed reason was lost');
    expect((await page.textContent('.purpose')) === purpose, 'the header lost the purpose');
    expect((await page.$('dialog.relogin')) === null, 'the dialog stayed');
    expect((await item.getAttribute('data-selector')) === selector, 'the page was rebuilt');
    await page.context().close();
  },

  async pages() {
    // Every other page, as the role that uses it: axe and a screenshot each.
    const analyst = await newPage('pages');
    await login(analyst, 'analyst', 'op lantern: e2e pages');
    for (const [path, ready, name] of [
      ['/alerts', 'table.alerts tbody tr', '10-alerts'],
      ['/matches', 'p.subtitle', '11-matches'],
      ['/ranking', '.rank-item', '12-ranking'],
      ['/network', '.page-header', '13-network'],
    ]) {
      await goto(analyst, path, ready);
      await check(analyst, name);
    }
    // Alerts: keyboard triage moves the selection.
    await goto(analyst, '/alerts', 'table.alerts tbody tr[data-index="1"]');
    await analyst.click('h1');
    await analyst.keyboard.press('j');
    expect((await analyst.getAttribute('tr[data-index="1"]', 'aria-current')) === 'true', 'j did not move to the next alert');
    await analyst.keyboard.press('k');
    expect((await analyst.getAttribute('tr[data-index="0"]', 'aria-current')) === 'true', 'k did not move back');
    await analyst.context().close();
    const auditor = await newPage('pages');
    await login(auditor, 'auditor', 'oversight: monthly audit');
    await goto(auditor, '/audit', '[data-testid=chain-state]');
    expect((await auditor.textContent('[data-testid=chain-state]')).includes('intact'), 'audit chain not shown as intact');
    await check(auditor, '14-audit');
    await auditor.context().close();
    const adminPage = await newPage('pages');
    await login(adminPage, 'admin', 'account administration');
    await goto(adminPage, '/admin', 'table.grid');
    expect((await adminPage.textContent('main')).includes('limited'), 'users not listed');
    await check(adminPage, '15-admin');
    await adminPage.context().close();
  },
};

// Figures, not assertions: run with --only figures (web/README.md).
async function figures() {
  const page = await newPage('figures');
  await login(page, 'analyst', 'workbench figures');
  // The subject with the most alerts: a busy dossier and timeline.
  const { json } = await api('GET', '/v1/alerts?limit=100000', 'analyst');
  const counts = new Map();
  for (const a of json.alerts) if (a.person_id) counts.set(a.person_id, (counts.get(a.person_id) ?? 0) + 1);
  const busy = [...counts.entries()].sort((a, b) => b[1] - a[1])[0][0];
  const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const ready = [];
  for (let i = 0; i < 7; i++) {
    await goto(page, '/', 'input[name=q]');
    const started = Date.now();
    await goto(page, `/subject/${busy}`, '.timeline svg');
    await page.waitForFunction(() => !document.querySelector('main .loading'));
    ready.push(Date.now() - started);
  }
  const events = (await api('GET', `/v1/persons/${busy}/timeline?limit=100000`, 'analyst')).json.total;
  console.log(`figure subject_ready_ms median=${median(ready)} max=${Math.max(...ready)} (${busy}, ${events} events, 7 loads)`);
  // A timeline of 100,000 events over ten years (the server's reply replaced).
  const start = Date.UTC(2015, 0, 1);
  const big = { person_id: busy, total: 100000, events: [] };
  for (let i = 0; i < 100000; i++) {
    const t = start + Math.floor(((i * 7919) % 100000) / 100000 * 3650 * 86400000);
    big.events.push({ time: new Date(t).toISOString().replace(/\.\d+Z$/, 'Z'), event: i % 10 === 0 ? 'travel' : 'call', selector: 'msisdn:+33600000000', detail: `event ${i}` });
  }
  await page.route(`**/v1/persons/${busy}/timeline*`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify(big) }));
  await goto(page, '/', 'input[name=q]');
  const started = Date.now();
  await goto(page, `/subject/${busy}`, '.timeline svg');
  const bigReady = Date.now() - started;
  const zooms = [];
  for (const key of ['+', '+', '+', '+', '+', '+', '+', '+', '-', '-', '-', '-', 'ArrowLeft', 'ArrowRight']) {
    zooms.push(await page.evaluate((k) => {
      const el = document.querySelector('.timeline-plot');
      const t = performance.now();
      el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
      return performance.now() - t;
    }, key));
  }
  console.log(`figure timeline_100k_ready_ms=${bigReady} zoom_ms median=${median(zooms).toFixed(1)} max=${Math.max(...zooms).toFixed(1)} (${zooms.length} zoom/pan steps, binned and single-event views)`);
  await page.context().close();
}
journeys.figures = figures;
// Where decisions are taken: e2e/decisions.mjs.
const decisions = decisionJourneys({ base, api, newPage, login, check, goto, expect, PASSWORD, vigil, db, dist: resolve(options.dist), servers });
Object.assign(journeys, decisions.journeys);
Object.assign(journeys, networkJourneys({ newPage, login, check, goto, expect, api, hiddenFromLimited, shortBase, PASSWORD, shots }));
const protect = protectJourneys({ newPage, login, check, goto, expect, api });
Object.assign(journeys, protect.journeys);

// ---- Run ---------------------------------------------------------------

let passed = 0;
let failed = 0;
const order = ['login', 'search', 'link', 'review', 'fourEyes', 'limited', 'expired', 'pages', 'network', 'networkLimited', 'networkExpired', ...decisions.order, ...protect.order];
try {
  for (const name of [...order, 'figures']) {
    if (options.only.length ? !options.only.includes(name) : name === 'figures') continue;
    const started = Date.now();
    const before = problems.length;
    try {
      await journeys[name]();
      const mine = problems.slice(before);
      if (mine.length) throw new Error(mine.join('; '));
      passed++;
      console.log(`PASS ${name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    } catch (error) {
      failed++;
      console.log(`FAIL ${name}: ${error.message.split('\n')[0]}`);
    }
  }
  if (a11y.length) {
    failed++;
    console.log(`FAIL accessibility: ${a11y.length} serious or critical axe violations`);
    for (const line of a11y) console.log(`  ${line}`);
  } else if (!options.only.length) {
    passed++;
    console.log('PASS accessibility (axe-core: no serious or critical violation on any page)');
  }
} finally {
  await browser.close();
  for (const child of servers) child.kill('SIGTERM');
  rmSync(work, { recursive: true, force: true });
}
console.log(`screenshots: ${shots}`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
