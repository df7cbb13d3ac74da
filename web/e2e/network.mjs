// The network explorer's journeys (run by e2e/run.mjs, which passes its
// helpers): open a subject's network, expand twice, move the time slider
// (the ties outside the window leave the list of what is drawn, compared
// with the server's own answer for that window), the shortest path
// highlighted, undo/redo, a canvas saved, the page reloaded and the canvas
// reopened with the same nodes and positions, and the compartment-limited
// user opening that canvas told that something was withheld and shown no
// hidden person. The view is checked through its accessible list (not
// pixels) and with axe-core.

const CASE = 'OP-NETWORK';

export function networkJourneys({ newPage, login, check, goto, expect, api, hiddenFromLimited, shortBase, PASSWORD, shots: shotsDir }) {
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
    // The server's ties among the same nodes in the same window are exactly
    // those still drawn.
    const text = await page.textContent('[data-testid=window-text]');
    const [, a, b] = /(\d{4}-\d\d-\d\d) → (\d{4}-\d\d-\d\d)/.exec(text) ?? [];
    expect(a && b, `window text unreadable: ${text}`);
    const end = new Date(Date.parse(`${b}T00:00:00Z`) + 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z');
    const server = await api('POST', '/v1/network/ties', 'analyst', { nodes: windowed.nodeRows.map((n) => n.id), from: `${a}T00:00:00Z`, to: end });
    const expected = new Set(server.json.ties.map((t) => norm(`${t.source}|${t.target}`)));
    expect(expected.size === windowed.ties, `drawn ${windowed.ties} ties in the window, the server has ${expected.size}`);
    for (const row of windowed.tieRows) expect(expected.has(norm(row.key)), `tie ${row.key} drawn outside the window`);
    await check(page, '18-network-window');

    at('brush');
    // The brush follows the slider: the subject's timeline shows it, and
    // the view comes back as it was left.
    await goto(page, `/subject/${seed}`, '.timeline rect.brush');
    await goto(page, '/network', '[data-testid=network-counts]');
    expect((await listed(page)).ties === windowed.ties, 'the network view did not come back with its window');
    await page.uncheck('input[name=window-on]');
    expect((await listed(page)).ties === before.ties, 'clearing the window did not bring the ties back');

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
