// The workbench's figures in headless Chromium (playwright-core, Debian's
// /usr/bin/chromium with software WebGL: --enable-unsafe-swiftshader):
//
//   1. subject page ready after navigation (the busiest subject, RUNS loads,
//      and 10 other subjects once each), on the demo world (`vigil demo`)
//      and on a 20,000-person world (`vigil simulate --people 20000`);
//   2. a network view of 5,000 nodes and 50,000 ties (the server's
//      neighbourhood reply replaced in the browser by a generated one):
//      time from navigation to the first frame drawn with every node, the
//      ForceAtlas2 layout time in the worker, and frames per second over a
//      scripted 3-second pan (keyboard panning, one step per frame);
//   3. the timeline of a subject with 100,000 events (the server's reply
//      replaced): zoom/pan step times.
//
// Prints one "figure ..." line per measure (medians of RUNS runs, and max).
// Nothing is asserted: bench/ui/run.sh is the driver.
//
//   node bench/ui/bench.mjs --vigil build/release/src/cli/vigil --dist web/dist
//       [--work /tmp/vigil-ui-bench] [--runs 5] [--only demo,big,network,timeline]
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(join(root, 'web', 'package.json'));
process.env.PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD = '1';
const { chromium } = require('playwright-core');

const options = { vigil: '', dist: join(root, 'web', 'dist'), work: '/tmp/vigil-ui-bench', runs: '5', only: 'demo,big,network,timeline' };
const argv = process.argv.slice(2);
for (let i = 0; i < argv.length; i += 2) options[argv[i].replace(/^--/, '')] = argv[i + 1];
if (!options.vigil) {
  console.error('usage: node bench/ui/bench.mjs --vigil VIGIL [--dist DIST] [--work DIR] [--runs N] [--only demo,big,network,timeline]');
  process.exit(2);
}
const RUNS = Number(options.runs);
const only = new Set(options.only.split(','));
const vigil = resolve(options.vigil);
const PASSWORD = 'bench workbench password';
mkdirSync(options.work, { recursive: true });

const median = (xs) => xs.slice().sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (x) => (typeof x === 'number' ? x.toFixed(1) : String(x));

function run(args, env = {}) {
  const r = spawnSync(vigil, args, { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 3_600_000, maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`vigil ${args.join(' ')}: ${r.stderr || r.stdout}`);
  return r.stdout;
}

// ---- Worlds ------------------------------------------------------------

function demoWorld() {
  const dir = join(options.work, 'demo');
  if (!existsSync(join(dir, 'vigil.db'))) run(['demo', '--dir', dir]);
  const line = readFileSync(join(dir, 'credentials'), 'utf8').split('\n').find((l) => l.includes('demo-analyst'));
  return { db: join(dir, 'vigil.db'), user: 'demo-analyst', password: /VIGIL_PASSWORD=(\S+)/.exec(line)[1] };
}

function bigWorld(people) {
  const dir = join(options.work, `world-${people}`);
  const db = join(options.work, `vigil-${people}.db`);
  if (!existsSync(join(dir, 'persons.csv'))) run(['simulate', '--out', dir, '--seed', '5', '--people', String(people), '--days', '365']);
  if (!existsSync(db)) {
    const started = Date.now();
    run(['ingest', dir, '--db', db]);
    run(['resolve', '--db', db, '--out', join(options.work, `links-${people}.csv`)]);
    run(['alerts', '--db', db, '--out', join(options.work, `alerts-${people}.csv`)]);
    run(['user', 'add', 'bench-admin', '--role', 'admin', '--db', db], { VIGIL_NEW_PASSWORD: PASSWORD });
    const admin = { VIGIL_USER: 'bench-admin', VIGIL_PASSWORD: PASSWORD, VIGIL_PURPOSE: 'bench set-up' };
    // A grant of compartments waits for a second admin (four eyes): without
    // the approval the analyst sees no one.
    run(['user', 'add', 'bench-admin2', '--role', 'admin', '--db', db], { ...admin, VIGIL_NEW_PASSWORD: PASSWORD });
    run(['user', 'add', 'bench-analyst', '--role', 'analyst', '--compartment', '*', '--db', db], { ...admin, VIGIL_NEW_PASSWORD: PASSWORD });
    run(['user', 'approve-grant', 'bench-analyst', '*', '--db', db], { ...admin, VIGIL_USER: 'bench-admin2' });
    console.log(`world ${people}: ingest, resolve, alerts in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  }
  return { db, user: 'bench-analyst', password: PASSWORD };
}

function serve(db) {
  return new Promise((done, fail) => {
    const child = spawn(vigil, ['serve', '--db', db, '--port', '0', '--web-root', resolve(options.dist)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    const timer = setTimeout(() => fail(new Error(`vigil serve did not start: ${text}`)), 120_000);
    child.stderr.on('data', (chunk) => {
      text += chunk.toString();
      const found = /serving .* on http:\/\/[^:]+:(\d+)/.exec(text);
      if (found) {
        clearTimeout(timer);
        done({ child, base: `http://127.0.0.1:${found[1]}` });
      }
    });
  });
}

async function apiToken(base, world) {
  const r = await fetch(`${base}/v1/login`, { method: 'POST', body: JSON.stringify({ user: world.user, password: world.password }) });
  return (await r.json()).token;
}

// ---- Browser -----------------------------------------------------------

const browser = await chromium.launch({
  executablePath: process.env.VIGIL_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--enable-unsafe-swiftshader', '--no-first-run', '--disable-sync'],
});

async function loggedIn(base, world) {
  const context = await browser.newContext({ viewport: { width: 1440, height: 960 } });
  const page = await context.newPage();
  page.setDefaultTimeout(120_000);
  await page.goto(base);
  await page.fill('input[name=user]', world.user);
  await page.fill('input[name=password]', world.password);
  await page.fill('textarea[name=purpose]', 'workbench benchmark');
  await page.click('button[type=submit]');
  await page.waitForSelector('.topbar');
  return page;
}

async function goto(page, path) {
  await page.evaluate((p) => {
    history.pushState(null, '', p);
    dispatchEvent(new PopStateEvent('popstate'));
  }, path);
}

// Navigation to the subject page until it is ready: the dossier, alerts,
// cases and the timeline drawn, nothing loading.
async function subjectReady(page, id) {
  await goto(page, '/');
  await page.waitForSelector('input[name=q]');
  const started = Date.now();
  await goto(page, `/subject/${id}`);
  await page.waitForSelector('.timeline svg');
  await page.waitForFunction(() => !document.querySelector('main .loading'));
  return Date.now() - started;
}

async function subjects(label, world) {
  const { child, base } = await serve(world.db);
  try {
    const token = await apiToken(base, world);
    const headers = { Authorization: `Bearer ${token}`, 'X-Vigil-Purpose': 'bench' };
    const alerts = await (await fetch(`${base}/v1/alerts?limit=100000`, { headers })).json();
    const counts = new Map();
    for (const a of alerts.alerts) if (a.person_id) counts.set(a.person_id, (counts.get(a.person_id) ?? 0) + 1);
    const ranked = [...counts.entries()].sort((a, b) => b[1] - a[1]).map(([id]) => id);
    const busy = ranked[0];
    const events = (await (await fetch(`${base}/v1/persons/${busy}/timeline?limit=100000`, { headers })).json()).total;
    const page = await loggedIn(base, world);
    await subjectReady(page, busy); // warm-up (caches of the server and the browser)
    const times = [];
    for (let i = 0; i < RUNS; i++) times.push(await subjectReady(page, busy));
    const others = [];
    for (const id of ranked.slice(1, 11)) others.push(await subjectReady(page, id));
    console.log(`figure ${label} subject_ready_ms busiest: median=${median(times)} max=${Math.max(...times)} (${busy}, ${events} timeline events, ${alerts.alerts.length} alerts in the world, ${RUNS} loads); 10 others: median=${median(others)} max=${Math.max(...others)}`);
    await page.context().close();
    return { base, child, world };
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
}

// ---- The 5,000-node network ----------------------------------------------

// A neighbourhood reply of `n` nodes (the centre and n-1 neighbours) with
// `m` ties: the centre's n-1 and random ones among the neighbours.
function syntheticNeighbourhood(seed, n, m) {
  // mulberry32: 32-bit integer arithmetic (an LCG in doubles loses bits).
  let state = 12345;
  const random = () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const ids = Array.from({ length: n }, (_, i) => (i === 0 ? seed : `B${String(i).padStart(6, '0')}`));
  const nodes = ids.slice(1).map((id, i) => ({ id, kind: i % 25 === 0 ? 'selector' : 'person', degree: 10, community: Math.floor(random() * 40), broker: i % 97 === 0, ...(i % 25 === 0 ? { proposed_owner: null } : {}) }));
  const start = Date.UTC(2022, 0, 1);
  const tie = (a, b) => {
    const first = start + Math.floor(random() * 700) * 86_400_000;
    const last = first + Math.floor(random() * 300) * 86_400_000;
    return { source: a, target: b, kinds: [random() < 0.6 ? 'call' : random() < 0.5 ? 'message' : 'co_travel'], contacts: 1 + Math.floor(random() * 40), first: new Date(first).toISOString().replace(/\.\d+Z$/, 'Z'), last: new Date(last).toISOString().replace(/\.\d+Z$/, 'Z') };
  };
  const ties = ids.slice(1).map((id) => tie(seed, id));
  const seen = new Set();
  while (ties.length < m) {
    const a = 1 + Math.floor(random() * (n - 1));
    const b = 1 + Math.floor(random() * (n - 1));
    if (a === b) continue;
    const key = a < b ? `${a}-${b}` : `${b}-${a}`;
    if (seen.has(key)) continue;
    seen.add(key);
    ties.push(tie(ids[a], ids[b]));
  }
  return { node: { id: seed, kind: 'person', community: 0, broker: true, degree: n - 1 }, nodes, ties, more: 0 };
}

// The functions of a CPU profile by self time (ms), the 25 largest.
function profileSummary(profile) {
  const self = new Map();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, k) => {
    const f = byId.get(id).callFrame;
    const name = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
    self.set(name, (self.get(name) ?? 0) + (profile.timeDeltas[k] ?? 0) / 1000);
  });
  const total = [...self.values()].reduce((a, b) => a + b, 0);
  const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
  return [`profile: ${total.toFixed(0)} ms sampled`, ...top.map(([name, ms]) => `  ${ms.toFixed(1).padStart(8)} ms  ${name}`)].join('\n');
}

// The same reply in the server's columns form (columns=true): node and tie
// fields as parallel arrays, ties naming nodes by index, kinds by index into
// kind_sets, times in seconds.
function toColumns(reply) {
  const ids = reply.nodes.map((n) => n.id);
  const index = new Map([reply.node.id, ...ids].map((id, i) => [id, i]));
  const column = (field) => reply.nodes.map((n) => (field in n ? n[field] : null));
  const sets = [];
  const setIndex = new Map();
  const kinds = reply.ties.map((t) => {
    const key = t.kinds.join(',');
    if (!setIndex.has(key)) {
      setIndex.set(key, sets.length);
      sets.push(t.kinds);
    }
    return setIndex.get(key);
  });
  const seconds = (text) => Date.parse(text) / 1000;
  return {
    node: reply.node,
    columns: true,
    nodes: { id: ids, kind: column('kind'), degree: column('degree'), community: column('community'), broker: column('broker'), proposed_owner: column('proposed_owner') },
    ties: {
      source: reply.ties.map((t) => index.get(t.source)),
      target: reply.ties.map((t) => index.get(t.target)),
      kinds,
      kind_sets: sets,
      contacts: reply.ties.map((t) => t.contacts),
      contacts_total: reply.ties.map((t) => t.contacts),
      first: reply.ties.map((t) => seconds(t.first)),
      last: reply.ties.map((t) => seconds(t.last)),
    },
    more: reply.more,
  };
}

async function network(base, world) {
  const page = await loggedIn(base, world);
  // The generated reply of each seed, in the shape the page asks for: the
  // object reply, or columns (a workbench that sends columns=true).
  const replies = new Map();
  const replyOf = (seed, columns) => {
    const key = `${seed}|${columns}`;
    if (!replies.has(key)) {
      const reply = syntheticNeighbourhood(seed, 5000, 50000);
      replies.set(key, JSON.stringify(columns ? toColumns(reply) : reply));
    }
    return replies.get(key);
  };
  let replyBytes = 0;
  await page.route('**/v1/network/neighbourhood*', (route) => {
    const params = new URL(route.request().url()).searchParams;
    const body = replyOf(params.get('node'), params.get('columns') === 'true');
    replyBytes = body.length;
    route.fulfill({ status: 200, contentType: 'application/json', body });
  });
  await page.route('**/v1/network/ties', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"nodes":[],"ties":[]}' }));
  await page.route('**/v1/network/neighbours*', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: '{"nodes":[]}' }));
  for (const [variant, extra] of [['ties hidden while moving (default above 5,000 ties)', ''], ['ties drawn while moving', '&ties-on-move=1']].filter(([, e]) => !e || process.env.TIES_ON_MOVE === '1')) {
  const drawn = [];
  const layouts = [];
  const fps = [];
  const drags = [];
  const afterReply = [];
  const moveRates = [];
  const rests = [];
  for (let i = 0; i <= RUNS; i++) {
    const seed = `BENCH${i}${extra ? 'M' : ''}`;
    replyOf(seed, false);
    replyOf(seed, true);
    await goto(page, '/');
    await page.waitForSelector('input[name=q]');
    // PROFILE=FILE: a CPU profile of the warm-up run's first frame (not
    // counted in the figures), written to FILE with a summary printed.
    const cdp = i === 0 && process.env.PROFILE ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 250 });
      await cdp.send('Profiler.start');
    }
    // Timed in the page: from the navigation to the end of the frame that
    // drew every node, and from the end of the neighbourhood reply's
    // arrival (the synthetic reply passes through the benchmark's
    // interception, which a server's reply does not) to that frame.
    await page.evaluate((path) => {
      performance.clearResourceTimings();
      window.__bench = { start: performance.now(), frame: 0 };
      const observer = new MutationObserver(() => {
        const box = document.querySelector('[data-testid=network-graph]');
        if (Number(box?.getAttribute('data-drawn-nodes')) >= 5000) {
          window.__bench.frame = performance.now();
          observer.disconnect();
        }
      });
      observer.observe(document.body, { subtree: true, attributes: true, attributeFilter: ['data-drawn-nodes'] });
      history.pushState(null, '', path);
      dispatchEvent(new PopStateEvent('popstate'));
    }, `/network?seed=${seed}${extra}`);
    await page.waitForFunction(() => window.__bench.frame > 0, null, { timeout: 120_000 });
    if (cdp) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(process.env.PROFILE, JSON.stringify(profile));
      console.log(profileSummary(profile));
      await cdp.detach();
    }
    const timing = await page.evaluate(() => {
      const reply = performance.getEntriesByType('resource').filter((e) => e.name.includes('/v1/network/neighbourhood')).pop();
      return { total: window.__bench.frame - window.__bench.start, afterReply: reply ? window.__bench.frame - reply.responseEnd : NaN };
    });
    const firstFrame = timing.total;
    await page.waitForFunction(() => document.querySelector('[data-testid=network-graph]')?.getAttribute('data-layout') === 'done', null, { timeout: 300_000 });
    const layoutMs = Number(await page.getAttribute('[data-testid=network-graph]', 'data-layout-ms'));
    await page.waitForTimeout(500); // the frame at rest after the layout
    // A scripted keyboard pan: one arrow-key step per animation frame for 3 s.
    const keys = await page.evaluate(async () => {
      const box = document.querySelector('[data-testid=network-graph]');
      const renders = () => Number(box.getAttribute('data-renders'));
      const r0 = renders();
      const t0 = performance.now();
      let n = 0;
      await new Promise((done) => {
        const step = (now) => {
          box.dispatchEvent(new KeyboardEvent('keydown', { key: n++ % 40 < 20 ? 'ArrowRight' : 'ArrowLeft', bubbles: true }));
          if (now - t0 < 3000) requestAnimationFrame(step);
          else done();
        };
        requestAnimationFrame(step);
      });
      return (renders() - r0) / ((performance.now() - t0) / 1000);
    });
    // The frame at rest after the keyboard pan (ties and labels drawn).
    const rest = await page.evaluate(async () => {
      const box = document.querySelector('[data-testid=network-graph]');
      const r0 = Number(box.getAttribute('data-renders'));
      const t0 = performance.now();
      await new Promise((done) => {
        const wait = () => (Number(box.getAttribute('data-renders')) > r0 ? done() : requestAnimationFrame(wait));
        box.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowDown', bubbles: true }));
        requestAnimationFrame(wait);
      });
      // The last frame of the move is the one at rest; wait for it.
      let last = Number(box.getAttribute('data-renders'));
      let quiet = performance.now();
      await new Promise((done) => {
        const wait = () => {
          const now = Number(box.getAttribute('data-renders'));
          if (now !== last) {
            last = now;
            quiet = performance.now();
          }
          if (performance.now() - quiet > 300) done();
          else requestAnimationFrame(wait);
        };
        requestAnimationFrame(wait);
      });
      return quiet - t0;
    });
    // A mouse-drag pan as a user does it: press on the stage's empty corner
    // and drag back and forth for 3 s (the mouse moved through the
    // browser's input pipeline).
    const box = await page.locator('[data-testid=network-graph]').boundingBox();
    const x0 = box.x + 12;
    const y0 = box.y + 12;
    const r0 = Number(await page.getAttribute('[data-testid=network-graph]', 'data-renders'));
    // The mouse events the page received (a drag draws at most one frame
    // per event, so their rate bounds the frames drawn).
    await page.evaluate(() => {
      window.__moves = 0;
      document.querySelector('[data-testid=network-graph]').addEventListener('mousemove', () => window.__moves++, { capture: true });
    });
    const t0 = Date.now();
    await page.mouse.move(x0, y0);
    await page.mouse.down();
    for (let k = 0; Date.now() - t0 < 3000; k++) {
      const phase = k % 60;
      const dx = phase < 30 ? phase * 8 : (60 - phase) * 8;
      await page.mouse.move(x0 + dx, y0 + dx / 2);
    }
    await page.mouse.up();
    const dragSeconds = (Date.now() - t0) / 1000;
    const dragFps = (Number(await page.getAttribute('[data-testid=network-graph]', 'data-renders')) - r0) / dragSeconds;
    const moveRate = (await page.evaluate(() => window.__moves)) / dragSeconds;
    if (i === 0) continue; // warm-up
    drawn.push(firstFrame);
    afterReply.push(timing.afterReply);
    layouts.push(layoutMs);
    fps.push(keys);
    drags.push(dragFps);
    moveRates.push(moveRate);
    rests.push(rest);
  }
  console.log(`figure network_5000_nodes_50000_ties first_frame_ms median=${fmt(median(drawn))} max=${fmt(Math.max(...drawn))} (after the reply arrived: median=${fmt(median(afterReply))} max=${fmt(Math.max(...afterReply))}); layout_worker_ms median=${fmt(median(layouts))}; keyboard_pan_fps median=${fmt(median(fps))} min=${fmt(Math.min(...fps))}; mouse_drag_fps median=${fmt(median(drags))} min=${fmt(Math.min(...drags))} (mouse events received per second: median=${fmt(median(moveRates))}); frame_at_rest_ms median=${fmt(median(rests))} max=${fmt(Math.max(...rests))} (${RUNS} runs; ${variant}; neighbourhood reply ${(replyBytes / 1e6).toFixed(2)} MB)`);
  }
  await page.context().close();
}

// ---- The 100,000-event timeline ------------------------------------------

async function timeline(base, world) {
  const page = await loggedIn(base, world);
  const token = await apiToken(base, world);
  const persons = await (await fetch(`${base}/v1/alerts?limit=1`, { headers: { Authorization: `Bearer ${token}`, 'X-Vigil-Purpose': 'bench' } })).json();
  const subject = persons.alerts[0].person_id;
  const start = Date.UTC(2015, 0, 1);
  const big = { person_id: subject, total: 100000, events: [] };
  for (let i = 0; i < 100000; i++) {
    const t = start + Math.floor((((i * 7919) % 100000) / 100000) * 3650 * 86400000);
    big.events.push({ time: new Date(t).toISOString().replace(/\.\d+Z$/, 'Z'), event: i % 10 === 0 ? 'travel' : 'call', selector: 'msisdn:+33600000000', detail: `event ${i}` });
  }
  const body = JSON.stringify(big);
  await page.route(`**/v1/persons/${subject}/timeline*`, (route) => route.fulfill({ status: 200, contentType: 'application/json', body }));
  const steps = [];
  const ready = [];
  for (let run = 0; run <= RUNS; run++) {
    await goto(page, '/');
    await page.waitForSelector('input[name=q]');
    const started = Date.now();
    await goto(page, `/subject/${subject}`);
    await page.waitForSelector('.timeline svg');
    const readyMs = Date.now() - started;
    const mine = [];
    for (const key of ['+', '+', '+', '+', '+', '+', '+', '+', '-', '-', '-', '-', 'ArrowLeft', 'ArrowRight', 'Home']) {
      mine.push(await page.evaluate((k) => {
        const el = document.querySelector('.timeline-plot');
        const t = performance.now();
        el.dispatchEvent(new KeyboardEvent('keydown', { key: k, bubbles: true }));
        return performance.now() - t;
      }, key));
    }
    if (run === 0) continue;
    ready.push(readyMs);
    steps.push(...mine);
  }
  console.log(`figure timeline_100000_events ready_ms median=${median(ready)}; zoom_pan_step_ms median=${fmt(median(steps))} p90=${fmt(steps.slice().sort((a, b) => a - b)[Math.floor(steps.length * 0.9)])} max=${fmt(Math.max(...steps))} (${steps.length} steps over ${RUNS} runs)`);
  await page.context().close();
}

// ---- Run ---------------------------------------------------------------

const servers = [];
try {
  if (only.has('demo') || only.has('network') || only.has('timeline')) {
    const world = demoWorld();
    const { child, base } = only.has('demo') ? await subjects('demo', world) : { ...(await serve(world.db)) };
    servers.push(child);
    if (only.has('network')) await network(base, world);
    if (only.has('timeline')) await timeline(base, world);
  }
  if (only.has('big')) {
    const { child } = await subjects('people_20000', bigWorld(20000));
    servers.push(child);
  }
} finally {
  await browser.close();
  for (const child of servers) child.kill('SIGTERM');
}
