// The network explorer's journeys (run by e2e/run.mjs, which passes its
// helpers): open a subject's network, expand twice, move the time slider
// (the ties outside the window leave the list of what is drawn, compared
// with the server's own answer for that window), the shortest path
// highlighted, undo/redo, a canvas saved, the page reloaded and the canvas
// reopened with the same nodes and positions, and the compartment-limited
// user opening that canvas told that something was withheld and shown no
// hidden person. The view is checked through its accessible list (not
// pixels) and with axe-core.

import { readFileSync } from 'node:fs';
import { inflateSync } from 'node:zlib';

const CASE = 'OP-NETWORK';

// A PNG's size and how many of its pixels are not (near) white, decoded
// here (8-bit RGB or RGBA, not interlaced: what a canvas's toBlob writes).
function pngInk(bytes) {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!signature.every((b, i) => bytes[i] === b)) throw new Error('not a PNG (signature)');
  let width = 0;
  let height = 0;
  let channels = 0;
  const idat = [];
  for (let at = 8; at < bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 8 || data[12] !== 0) throw new Error(`PNG depth ${data[8]} / interlace ${data[12]} not decoded here`);
      channels = { 2: 3, 6: 4 }[data[9]] ?? 0;
      if (!channels) throw new Error(`PNG colour type ${data[9]} not decoded here`);
    } else if (type === 'IDAT') idat.push(data);
    at += 12 + length;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  let previous = new Uint8Array(stride);
  let ink = 0;
  const colours = new Set();
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    const out = new Uint8Array(stride);
    for (let i = 0; i < stride; i++) {
      const a = i >= channels ? out[i - channels] : 0;
      const b = previous[i];
      const c = i >= channels ? previous[i - channels] : 0;
      const p = a + b - c;
      const pa = Math.abs(p - a);
      const pb = Math.abs(p - b);
      const pc = Math.abs(p - c);
      const predictor = [0, a, b, (a + b) >> 1, pa <= pb && pa <= pc ? a : pb <= pc ? b : c][filter];
      out[i] = (line[i] + predictor) & 0xff;
    }
    for (let i = 0; i < stride; i += channels) {
      if (out[i] < 230 || out[i + 1] < 230 || out[i + 2] < 230) {
        ink++;
        colours.add((out[i] << 16) | (out[i + 1] << 8) | out[i + 2]);
      }
    }
    previous = out;
  }
  return { width, height, ink, colours: colours.size };
}

export function networkJourneys({ newPage, login, check, goto, expect, api, hiddenFromLimited, shortBase, PASSWORD, shots: shotsDir }) {
  // Clicks an export button and returns the file downloaded.
  async function exported(page, format) {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click(`button[data-action=export-${format}]`)]);
    const path = `${shotsDir}/export-${format}-${download.suggestedFilename()}`;
    await download.saveAs(path);
    return { name: download.suggestedFilename(), bytes: readFileSync(path) };
  }
  // The node labels of a GraphML file (parsed by the browser's XML parser).
  async function graphmlNodes(page, text) {
    return page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'application/xml');
      if (doc.querySelector('parsererror')) return null;
      return [...doc.getElementsByTagName('node')].map((n) => [...n.getElementsByTagName('data')].find((d) => d.getAttribute('key') === 'label')?.textContent ?? '');
    }, text);
  }

  const hiddenIds = new Set(hiddenFromLimited.map((p) => p.person_id));
  // What the journeys share: the seed and the canvas saved.
  const shared = { seed: '', nodes: null };

  async function listed(page) {
    return page.evaluate(() => {
      const counts = document.querySelector('[data-testid=network-counts]');
      return {
        nodes: Number(counts?.getAttribute('data-nodes') ?? -1),
        ties: Number(counts?.getAttribute('data-ties') ?? -1),
        filtered: Number(counts?.getAttribute('data-filtered') ?? -1),
        nodeRows: [...document.querySelectorAll('tr[data-node]')].map((tr) => ({
          id: tr.getAttribute('data-node'),
          x: tr.getAttribute('data-x'),
          y: tr.getAttribute('data-y'),
          expanded: tr.getAttribute('data-expanded') === 'true',
        })),
        tieRows: [...document.querySelectorAll('tr[data-tie]')].map((tr) => ({ key: tr.getAttribute('data-tie'), path: tr.getAttribute('data-path') === 'true' })),
      };
    });
  }
  const norm = (key) => key.split('|').sort().join('|');
  // The step a journey is at, named in its failure (with a screenshot).
  let step = '';
  const traced = (name, journey) => async () => {
    step = 'start';
    let page = null;
    try {
      await journey((p) => (page = p), (s) => (step = s));
    } catch (error) {
      let said = '';
      if (page) {
        await page.screenshot({ path: `${shotsDir}/fail-${name}.png` }).catch(() => undefined);
        said = (await page.textContent('.net-status, .canvas-status').catch(() => '')) ?? '';
      }
      throw new Error(`${name} at "${step}": ${error.message.split('\n')[0]}${said ? ` (the page says: ${said.trim()})` : ''}`);
    }
  };

  // The server's ties among the same nodes in the window shown (its days)
  // are exactly those drawn.
  async function sameAsServer(page, drawn) {
    const text = await page.textContent('[data-testid=window-text]');
    const [, a, b] = /(\d{4}-\d\d-\d\d) → (\d{4}-\d\d-\d\d)/.exec(text) ?? [];
    expect(a && b, `window text unreadable: ${text}`);
    const end = new Date(Date.parse(`${b}T00:00:00Z`) + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const server = await api('POST', '/v1/network/ties', 'analyst', { nodes: drawn.nodeRows.map((n) => n.id), from: `${a}T00:00:00Z`, to: end });
    const expected = new Set(server.json.ties.map((t) => norm(`${t.source}|${t.target}`)));
    expect(expected.size === drawn.ties, `drawn ${drawn.ties} ties in the window ${a} → ${b}, the server has ${expected.size}`);
    for (const row of drawn.tieRows) expect(expected.has(norm(row.key)), `tie ${row.key} drawn outside the window`);
  }

  async function settle(page) {
    await page.waitForFunction(() => document.querySelector('[data-testid=network-graph]')?.getAttribute('data-layout') !== 'running', null, { timeout: 30_000 });
    await page.waitForLoadState('networkidle');
  }

  async function explore(track, at) {
    // The best-connected person of the world as the start.
    const central = await api('GET', '/v1/network/centrality?measure=degree&limit=40', 'analyst');
    const seed = central.json.ranking.map((r) => r.id).find((id) => /^P\d+$/.test(id) && !hiddenIds.has(id)) ?? central.json.ranking[0].id;
    shared.seed = seed;
    const page = await newPage('network');
    track(page);
    await login(page, 'analyst', 'op lantern: network of the subject');
    at('open');
    // From the subject page: "Open in network".
    await goto(page, `/subject/${seed}`, 'a.btn >> text=Open in network');
    await page.click('a.btn >> text=Open in network');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=network-counts]')?.getAttribute('data-nodes')) > 1);
    await settle(page);
    expect(Number(await page.getAttribute('[data-testid=network-graph]', 'data-renders')) >= 1, 'sigma drew no frame (WebGL)');
    await page.fill('input[name=collapse]', '0');
    await page.dispatchEvent('input[name=collapse]', 'change');
    const start = await listed(page);
    expect(start.nodeRows.find((n) => n.id === seed)?.expanded, 'the seed is not expanded');
    // Neighbour counts are shown before expanding.
    await page.waitForFunction(() => [...document.querySelectorAll('tr[data-node][data-expanded=false] td:nth-child(4)')].some((td) => /^\d+/.test(td.textContent ?? '')));
    await check(page, '16-network');

    at('expand');
    // Expand twice (two nodes not yet expanded), by the list's buttons.
    let before = start;
    for (let i = 0; i < 2; i++) {
      const target = before.nodeRows.find((n) => !n.expanded && /^P\d+$/.test(n.id));
      expect(target, 'no node left to expand');
      await page.click(`tr[data-node="${target.id}"] button[data-action=expand]`);
      await page.waitForSelector(`tr[data-node="${target.id}"][data-expanded=true]`);
      await settle(page);
      const after = await listed(page);
      expect(after.nodes >= before.nodes, `expanding ${target.id} lost nodes (${before.nodes} -> ${after.nodes})`);
      before = after;
    }
    expect(before.nodes > start.nodes, `two expansions added no node (${start.nodes} -> ${before.nodes})`);
    await check(page, '17-network-expanded');

    at('window');
    // The time slider: the middle third of the time span.
    await page.check('input[name=window-on]');
    const max = Number(await page.getAttribute('input[name=window-from]', 'max'));
    const from = Math.floor(max / 3);
    const to = Math.floor((2 * max) / 3);
    for (const [name, value] of [['window-to', to], ['window-from', from]]) {
      await page.$eval(`input[name=${name}]`, (el, v) => {
        el.value = String(v);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, value);
    }
    const windowed = await listed(page);
    expect(windowed.ties < before.ties && windowed.filtered > 0, `the window removed no tie (${before.ties} -> ${windowed.ties})`);
    await sameAsServer(page, windowed);
    await check(page, '18-network-window');

    at('brush');
    // The brush follows the slider: the subject's timeline shows it, and
    // the view comes back as it was left.
    await goto(page, `/subject/${seed}`, '.timeline rect.brush');
    await goto(page, '/network', '[data-testid=network-counts]');
    expect((await listed(page)).ties === windowed.ties, 'the network view did not come back with its window');
    await page.uncheck('input[name=window-on]');
    expect((await listed(page)).ties === before.ties, 'clearing the window did not bring the ties back');

    at('brush to slider');
    // The other way: a window brushed with the mouse on the subject's
    // timeline becomes the network's time window.
    await goto(page, `/subject/${seed}`, '.timeline-plot');
    expect((await page.$('.timeline rect.brush')) === null, 'the cleared window is still brushed on the timeline');
    const plot = await page.locator('.timeline-plot').boundingBox();
    await page.mouse.move(plot.x + plot.width * 0.35, plot.y + plot.height / 2);
    await page.mouse.down();
    await page.mouse.move(plot.x + plot.width * 0.55, plot.y + plot.height / 2, { steps: 8 });
    await page.mouse.up();
    await page.waitForSelector('.timeline rect.brush');
    await goto(page, '/network', '[data-testid=network-counts]');
    expect(await page.isChecked('input[name=window-on]'), 'the brushed window did not turn the time window on');
    const brushed = await listed(page);
    expect(brushed.ties < before.ties && brushed.filtered > 0, `the brushed window removed no tie (${before.ties} -> ${brushed.ties})`);
    await sameAsServer(page, brushed);
    await page.uncheck('input[name=window-on]');
    expect((await listed(page)).ties === before.ties, 'clearing the brushed window did not bring the ties back');

    at('exports');
    // PNG, SVG and GraphML of the view: each file checked, each export in
    // the audit log with the purpose and the persons in it.
    await settle(page);
    const view = await listed(page);
    expect(view.nodes === view.nodeRows.length, 'the view has more nodes than its list shows');
    const drawnCount = Number(await page.getAttribute('[data-testid=network-graph]', 'data-drawn-nodes'));
    const stage = await page.locator('[data-testid=network-graph]').boundingBox();
    const png = await exported(page, 'png');
    const picture = pngInk(png.bytes);
    expect(png.name === 'network.png' && Math.abs(picture.width - stage.width) <= 2 && Math.abs(picture.height - stage.height) <= 2, `PNG ${png.name} is ${picture.width}x${picture.height}, the drawing ${stage.width}x${stage.height}`);
    expect(picture.ink > 1000 && picture.colours >= 4, `the PNG is nearly blank (${picture.ink} pixels drawn, ${picture.colours} colours)`);
    const svg = await exported(page, 'svg');
    const shapes = await page.evaluate((xml) => {
      const doc = new DOMParser().parseFromString(xml, 'image/svg+xml');
      if (doc.querySelector('parsererror')) return null;
      const nodes = doc.getElementsByTagName('g')[1];
      return [...(nodes?.children ?? [])].filter((e) => e.tagName === 'circle' || e.tagName === 'rect').map((e) => e.querySelector('title')?.textContent ?? '');
    }, svg.bytes.toString('utf8'));
    expect(shapes, 'the SVG does not parse');
    expect(shapes.length === drawnCount, `the SVG has ${shapes.length} nodes, the drawing ${drawnCount}`);
    for (const row of view.nodeRows) expect(shapes.some((t) => t.split(' ').includes(row.id)), `${row.id} is not in the SVG`);
    const graphml = await exported(page, 'graphml');
    const labels = await graphmlNodes(page, graphml.bytes.toString('utf8'));
    expect(labels, 'the GraphML does not parse');
    const ids = view.nodeRows.map((n) => n.id).sort();
    expect(JSON.stringify(labels.slice().sort()) === JSON.stringify(ids), `the GraphML has ${labels.length} nodes, the view ${ids.length}`);
    const audit = await api('GET', '/v1/audit?user=analyst&newest=true&limit=300', 'auditor');
    const persons = ids.filter((id) => /^P\d+$/.test(id));
    for (const format of ['', ' png', ' svg']) {
      const record = audit.json.records.find((r) => r.object === `reveal:network export view${format}` && r.purpose === 'op lantern: network of the subject');
      expect(record && record.outcome === 'allowed', `the ${format.trim() || 'GraphML'} export is not in the audit log`);
      const missing = persons.filter((id) => !record.subjects.includes(id));
      expect(missing.length === 0, `the ${format.trim() || 'GraphML'} export's audit record lacks ${missing.slice(0, 3).join(', ')}`);
    }

    at('path');
    // The shortest path to a node two ties away, highlighted.
    let target = null;
    let steps = null;
    for (const row of before.nodeRows) {
      if (row.id === seed) continue;
      const found = await api('GET', `/v1/network/path?a=${seed}&b=${encodeURIComponent(row.id)}`, 'analyst');
      if (found.json.found && found.json.steps.length >= 3) {
        target = row.id;
        steps = found.json.steps.map((s) => s.id);
        break;
      }
    }
    expect(target, 'no node two ties from the seed in view');
    await page.fill('input[name=path-a]', seed);
    await page.fill('input[name=path-b]', target);
    await page.click('button[data-action=shortest-path]');
    await page.waitForSelector('[data-testid=path-found]');
    const shown = (await page.getAttribute('[data-testid=path-found]', 'data-steps')).split(',');
    expect(shown.length === steps.length && shown[0] === seed && shown[shown.length - 1] === target, `path ${shown} is not a shortest path (${steps})`);
    await settle(page);
    const withPath = await listed(page);
    const onPath = withPath.tieRows.filter((t) => t.path).map((t) => norm(t.key));
    for (let i = 1; i < shown.length; i++) expect(onPath.includes(norm(`${shown[i - 1]}|${shown[i]}`)), `path tie ${shown[i - 1]}–${shown[i]} not highlighted`);
    expect(onPath.length === shown.length - 1, `highlighted ${onPath.length} ties for a path of ${shown.length - 1}`);
    await check(page, '19-network-path');
    await page.click('button[data-action=temporal-path]');
    await page.waitForSelector('[data-testid=path-found], [data-testid=path-none]');

    at('undo');
    // Undo and redo (keyboard) of a removal.
    const victim = withPath.nodeRows.find((n) => n.id !== seed && !shown.includes(n.id));
    await page.click(`tr[data-node="${victim.id}"] button[data-action=select]`);
    await page.click('button >> text=Remove from view');
    expect((await page.$(`tr[data-node="${victim.id}"]`)) === null, 'the node was not removed');
    await page.click('h1');
    await page.keyboard.press('Control+z');
    await page.waitForSelector(`tr[data-node="${victim.id}"]`);
    await page.keyboard.press('Control+Shift+z');
    expect((await page.$(`tr[data-node="${victim.id}"]`)) === null, 'redo did not remove the node again');
    await page.keyboard.press('Control+z');
    await page.waitForSelector(`tr[data-node="${victim.id}"]`);

    at('save');
    // Saved as a canvas of a case, then the page reloaded (a new login) and
    // the canvas reopened: the same nodes at the same positions.
    const made = await api('POST', '/v1/cases', 'supervisor', { case_id: CASE, compartment: 'CT-A' });
    expect(made.status === 200 || made.status === 409, `case not created: ${JSON.stringify(made.json)}`);
    await goto(page, '/network', '[data-testid=network-counts]');
    await settle(page);
    await page.fill('textarea[name=note]', 'met at the garage, see report 12');
    await page.click('button >> text=/^Add a note/');
    await page.waitForSelector(`select[name=case] option[value="${CASE}"]`, { state: 'attached' });
    await page.selectOption('select[name=case]', CASE);
    await page.fill('input[name=canvas]', 'main');
    await page.click('button[data-action=save-canvas]');
    await page.waitForSelector('.canvas-status .message.ok');
    const saved = await listed(page);
    expect(saved.nodes <= 300, 'too many nodes to compare through the list');
    shared.nodes = saved.nodeRows;
    at('reopen');
    await page.reload();
    await login(page, 'analyst', 'op lantern: network of the subject');
    await goto(page, `/network?case=${CASE}&canvas=main`, '[data-testid=network-counts]');
    await page.waitForSelector('.canvas-status .message.ok');
    const reopened = await listed(page);
    const byId = new Map(reopened.nodeRows.map((n) => [n.id, n]));
    expect(reopened.nodes === saved.nodes, `reopened with ${reopened.nodes} nodes, saved ${saved.nodes}`);
    for (const n of saved.nodeRows) {
      const again = byId.get(n.id);
      expect(again, `${n.id} missing from the reopened canvas`);
      expect(again.x === n.x && again.y === n.y, `${n.id} moved: (${n.x}, ${n.y}) -> (${again.x}, ${again.y})`);
    }
    expect((await page.textContent('[data-testid=notes]')).includes('met at the garage'), 'the note was not kept');
    expect((await page.$('[data-testid=canvas-withheld]')) === null, 'the full user is told something was withheld');
    await check(page, '20-network-canvas');
    await page.context().close();
  }

  async function limitedCanvas(track, at) {
    expect(shared.nodes, 'no canvas saved by the network journey');
    const stored = await api('GET', `/v1/cases/${CASE}/canvases/main`, 'analyst');
    const hiddenOnCanvas = stored.json.document.nodes.map((n) => n.id).filter((id) => hiddenIds.has(id));
    expect(hiddenOnCanvas.length > 0, 'the canvas holds no person hidden from the limited user: nothing to withhold');
    const page = await newPage('networkLimited');
    track(page);
    await login(page, 'limited', 'op lantern: compartment check of a canvas');
    await goto(page, `/network?case=${CASE}&canvas=main`, '[data-testid=network-counts]');
    at('withheld notice');
    await page.waitForSelector('[data-testid=canvas-withheld]');
    await settle(page);
    const text = await page.evaluate(() => document.querySelector('main').innerText + [...document.querySelectorAll('main [data-node], main [data-tie], main option')].map((e) => `${e.getAttribute('data-node')} ${e.getAttribute('data-tie')} ${e.getAttribute('value')}`).join(' '));
    const leaked = hiddenOnCanvas.filter((id) => new RegExp(`\\b${id}\\b`).test(text));
    expect(leaked.length === 0, `the limited user sees hidden persons: ${leaked.slice(0, 5).join(', ')}`);
    const mine = await listed(page);
    const theirs = await api('GET', `/v1/cases/${CASE}/canvases/main`, 'limited');
    expect(theirs.json.withheld === true, 'the server did not withhold part of the canvas');
    expect(mine.nodes === theirs.json.document.nodes.length && mine.nodes < shared.nodes.length, `limited view has ${mine.nodes} nodes; the server gave ${theirs.json.document.nodes.length} of ${shared.nodes.length}`);
    expect(!(await page.textContent('[data-testid=canvas-withheld]')).match(/P\d{3,}/), 'the withheld notice names someone');
    at('exports');
    // The limited user's exports hold exactly the nodes they are shown.
    const graphml = await exported(page, 'graphml');
    const labels = await graphmlNodes(page, graphml.bytes.toString('utf8'));
    expect(labels, 'the GraphML does not parse');
    expect(JSON.stringify(labels.slice().sort()) === JSON.stringify(mine.nodeRows.map((n) => n.id).sort()), `the limited user's GraphML has ${labels.length} nodes, the view ${mine.nodes}`);
    const svg = (await exported(page, 'svg')).bytes.toString('utf8');
    const leakedInFiles = hiddenOnCanvas.filter((id) => labels.includes(id) || new RegExp(`\\b${id}\\b`).test(svg));
    expect(leakedInFiles.length === 0, `the limited user's exports hold hidden persons: ${leakedInFiles.slice(0, 5).join(', ')}`);
    await check(page, '21-network-canvas-limited');
    await page.context().close();
  }

  // An expired session while editing a canvas: the re-login dialog keeps
  // the page, the unsaved canvas and its note, and the save goes through.
  async function expiredCanvas(track, at) {
    expect(shared.seed, 'no seed from the network journey');
    const page = await newPage('networkExpired');
    track(page);
    await login(page, 'analyst', 'op lantern: canvas across an expired session', shortBase);
    await goto(page, `/network?seed=${shared.seed}`, '[data-testid=network-counts]');
    await page.waitForFunction(() => Number(document.querySelector('[data-testid=network-counts]')?.getAttribute('data-nodes')) > 1);
    await settle(page);
    await page.fill('input[name=collapse]', '0');
    await page.dispatchEvent('input[name=collapse]', 'change');
    const before = await listed(page);
    await page.fill('textarea[name=note]', 'typed before the session ran out');
    await page.click('button >> text=/^Add a note/');
    await page.waitForSelector(`select[name=case] option[value="${CASE}"]`, { state: 'attached' });
    await page.selectOption('select[name=case]', CASE);
    await page.fill('input[name=canvas]', 'across-expiry');
    await page.waitForTimeout(7000); // the 6-second session expires
    await page.click('button[data-action=save-canvas]');
    at('relogin');
    await page.waitForSelector('dialog.relogin[open]');
    await page.fill('dialog.relogin input[name=password]', PASSWORD);
    await page.click('dialog.relogin button[type=submit]');
    await page.waitForSelector('.canvas-status .message.ok');
    const after = await listed(page);
    expect(after.nodes === before.nodes, `the canvas lost nodes across the re-login (${before.nodes} -> ${after.nodes})`);
    const stored = await api('GET', `/v1/cases/${CASE}/canvases/across-expiry`, 'analyst');
    expect(stored.status === 200 && stored.json.document.notes.some((n) => n.text === 'typed before the session ran out'), 'the canvas saved after re-login lacks the note');
    expect(stored.json.document.nodes.length === before.nodes, 'the saved canvas has other nodes than the view');
    await page.context().close();
  }

  return { network: traced('network', explore), networkLimited: traced('networkLimited', limitedCanvas), networkExpired: traced('networkExpired', expiredCanvas) };
}
