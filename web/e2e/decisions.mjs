// Journeys where decisions are taken (imported by run.mjs, which passes its
// helpers and world): keyboard-only triage of alerts, an alert dismissed with
// a reason and found by an auditor in the audit view (who looked at the
// person, the chain's state), a watch-list match dismissed, a supervisor
// moving a subject to dormant watch after reading what changed, a session
// revoked and a server restarted while a reason is typed (back to the login
// dialog, purpose and reason kept, the decision retried on the same page),
// and a refused decision showing the server's message. axe-core and a
// screenshot on each view.
import { spawn } from 'node:child_process';

export function decisionJourneys(ctx) {
  const { base, api, newPage, login, check, goto, expect, PASSWORD, vigil, db, dist, servers } = ctx;

  // A server of our own on the same store, which a journey may stop and
  // start again on the same port (its sessions live in memory).
  function startServer(port = 0) {
    return new Promise((resolveStarted, reject) => {
      const child = spawn(vigil, ['serve', '--db', db, '--port', String(port), '--web-root', dist], { stdio: ['ignore', 'ignore', 'pipe'] });
      servers.push(child);
      let text = '';
      const timer = setTimeout(() => reject(new Error(`vigil serve did not start: ${text}`)), 30_000);
      child.stderr.on('data', (chunk) => {
        text += chunk.toString();
        const found = /serving .* on http:\/\/[^:]+:(\d+)/.exec(text);
        if (found) {
          clearTimeout(timer);
          resolveStarted({ child, port: Number(found[1]), url: `http://127.0.0.1:${found[1]}` });
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`vigil serve exited ${code}: ${text}`));
      });
    });
  }
  function stopServer(child) {
    return new Promise((done) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        done();
        return;
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(timer);
        done();
      });
      child.kill('SIGTERM');
    });
  }

  // The alerts an analyst sees, highest score first (as the queue sorts).
  async function openAlerts(user) {
    const { json } = await api('GET', '/v1/alerts?limit=5000&state=open', user);
    return json.alerts.sort((a, b) => b.score - a.score || b.time.localeCompare(a.time));
  }

  const journeys = {
    async triageKeyboard() {
      const opened = await api('POST', '/v1/cases', 'supervisor', { case_id: 'OP-E2E-KEYS', compartment: 'general' });
      expect(opened.status === 200, `case not opened: ${JSON.stringify(opened.json)}`);
      const page = await newPage('triageKeyboard');
      await login(page, 'analyst', 'op lantern: morning triage');
      await goto(page, '/alerts', 'table.alerts tbody tr[data-index="4"]');
      expect((await page.textContent('#alert-keys')).includes('dismiss'), 'the keys are not listed');
      await check(page, '20-alerts-triage');
      // Nothing but the keyboard from here: j moves, a acknowledges.
      await page.click('h1');
      await page.keyboard.press('j');
      const first = await page.getAttribute('tr[aria-current=true]', 'data-key');
      expect((await page.getAttribute('tr[data-index="1"]', 'aria-current')) === 'true', 'j did not move to the next alert');
      await page.keyboard.press('a');
      await page.waitForSelector(`tr[data-key="${first}"][data-state=acknowledged]`, { state: 'attached' });
      await page.waitForSelector('[data-testid=triage-result] .message.ok');
      await page.waitForSelector('ol.history li[data-state=acknowledged]');
      // d asks for the reason first; Enter sends the dismissal.
      await page.keyboard.press('j');
      const second = await page.getAttribute('tr[aria-current=true]', 'data-key');
      await page.keyboard.press('d');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name') === 'reason'), 'd did not ask for the reason');
      await page.keyboard.type('duplicate of the morning alert, same call pattern');
      await page.keyboard.press('Enter');
      await page.waitForSelector(`tr[data-key="${second}"][data-state=dismissed]`, { state: 'attached' });
      await page.waitForSelector('ol.history li[data-state=dismissed]');
      // e asks for the case; typing its name picks it; Enter escalates.
      await page.keyboard.press('j');
      const third = await page.getAttribute('tr[aria-current=true]', 'data-key');
      await page.keyboard.press('e');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name') === 'case'), 'e did not ask for the case');
      await page.keyboard.type('OP-E2E-KEYS');
      await page.keyboard.press('Enter');
      await page.waitForSelector(`tr[data-key="${third}"][data-state=escalated]`, { state: 'attached' });
      await check(page, '21-alerts-after-triage');
      for (const [key, state] of [[first, 'acknowledged'], [second, 'dismissed'], [third, 'escalated']]) {
        const history = await api('GET', `/v1/alerts/history?key=${encodeURIComponent(key)}`, 'analyst');
        const last = history.json.decisions?.at(-1);
        expect(last?.state === state && last.decided_by === 'analyst', `${key}: ${JSON.stringify(history.json)}`);
      }
      const dismissed = await api('GET', `/v1/alerts/history?key=${encodeURIComponent(second)}`, 'analyst');
      expect(dismissed.json.decisions.at(-1).reason === 'duplicate of the morning alert, same call pattern', 'the typed reason was not kept');
      // A refused decision shows the server's own message.
      await page.keyboard.press('j');
      await page.keyboard.press('s');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('name') === 'assignee'), 's did not ask for the assignee');
      await page.keyboard.type('nobody-such');
      await page.keyboard.press('Enter');
      await page.waitForSelector('[data-testid=triage-result] .message.error');
      const refusal = await page.textContent('[data-testid=triage-result] .message.error');
      expect(refusal.includes('cannot be assigned') && refusal.includes('HTTP 400'), `no server message: ${refusal}`);
      await page.context().close();
    },

    async dismissAudit() {
      const alert = (await openAlerts('analyst')).find((a) => a.person_id);
      expect(alert, 'no open alert about a person');
      const reason = `e2e: benign, the subject's registered employer (${Date.now()})`;
      const page = await newPage('dismissAudit');
      await login(page, 'analyst', 'op lantern: alert review');
      await goto(page, `/alerts?subject=${alert.person_id}`, `tr[data-key="${alert.key}"]`);
      await page.click(`tr[data-key="${alert.key}"] td.score`);
      // Without a reason the dismissal is refused in place.
      await page.click('button[data-action=dismiss]');
      await page.waitForSelector('[data-testid=triage-result] .message.error');
      await page.fill('input[name=reason]', reason);
      await page.click('button[data-action=dismiss]');
      await page.waitForSelector(`tr[data-key="${alert.key}"][data-state=dismissed]`, { state: 'attached' });
      // The history is fetched again after the row redraws: wait for that fetch.
      await page.waitForFunction((r) => document.querySelector('ol.history')?.textContent?.includes(r), reason).catch(() => {});
      expect((await page.textContent('ol.history')).includes(reason), 'the reason is not in the alert history');
      await page.context().close();
      // The auditor finds it: who looked at the person, and the decision.
      const auditor = await newPage('dismissAudit');
      await login(auditor, 'auditor', 'oversight: alert handling check');
      await goto(auditor, `/audit?subject=${alert.person_id}`, '.who-looked');
      await auditor.waitForSelector('[data-testid=chain-state]');
      expect((await auditor.getAttribute('[data-testid=chain-state]', 'data-intact')) === 'true', 'the audit chain is not shown intact');
      expect((await auditor.locator('.who-looked tr[data-user=analyst]').count()) === 1, 'the analyst is not among who looked');
      expect((await auditor.textContent('.who-looked tr[data-user=analyst]')).includes('op lantern: alert review'), 'the purpose is not shown');
      // The record names the alert and the decision; free text (the reason)
      // is kept in the log as its hash, the words in the alert's history.
      const row = auditor.locator('tr[data-action=triage_alert]', { hasText: `alert:${alert.key}` });
      expect((await row.count()) >= 1, 'the dismissal is not in the audit view');
      const text = await row.first().textContent();
      expect(text.includes('analyst') && text.includes('state=dismissed'), `the record does not show the analyst's dismissal: ${text}`);
      await check(auditor, '22-audit-who-looked');
      // The auditor's own question is in the log, with the person asked about.
      const own = await api('GET', '/v1/audit?user=auditor&newest=true&limit=50', 'auditor');
      expect(own.json.records.some((r) => r.action === 'query_audit' && String(JSON.stringify(r.params)).includes(alert.person_id)), 'the audit query was not audited');
      await auditor.context().close();
    },

    async matchDismiss() {
      const { json } = await api('GET', '/v1/screening/matches?limit=5000', 'analyst');
      const open = json.matches.filter((m) => m.state === 'open').sort((a, b) => b.score - a.score);
      expect(open.length > 0, 'the world has no open watch-list match');
      const page = await newPage('matchDismiss');
      await login(page, 'analyst', 'op lantern: screening hits');
      await goto(page, '/matches', '.queue-item[data-key]');
      await page.waitForSelector('.queue-item .side-by-side h3 >> text=Listed entry');
      await check(page, '23-matches');
      const item = page.locator('.queue-item').first();
      const key = await item.getAttribute('data-key');
      await item.locator('button[data-choice=dismiss]').click();
      await item.locator('.message.error').waitFor();
      await item.locator('input.reason').fill('different date of birth and travel document');
      await item.locator('button[data-choice=dismiss]').click();
      await item.locator('.message.ok').waitFor();
      expect((await item.getAttribute('data-state')) === 'dismissed', 'the card does not show the dismissal');
      expect((await item.locator('ol.history li[data-state=dismissed]').count()) === 1, 'the dismissal is not in the history');
      const after = await api('GET', '/v1/screening/matches?limit=5000', 'analyst');
      const stored = after.json.matches.find((m) => m.key === key);
      expect(stored?.state === 'dismissed' && stored.decisions.at(-1).reason === 'different date of birth and travel document', `match not dismissed: ${JSON.stringify(stored)}`);
      const audit = await api('GET', '/v1/audit?user=analyst&newest=true&limit=200', 'auditor');
      expect(audit.json.records.some((r) => r.object === `match:${key}` && r.action === 'decide_match' && r.outcome === 'allowed'), 'the match decision is not audited under decide_match');
      await page.context().close();
    },

    async reviewDormant() {
      const page = await newPage('reviewDormant');
      await login(page, 'supervisor2', 'review board: dormant candidates');
      await goto(page, '/reviews', '.queue-item');
      const item = page.locator('.queue-item').first();
      await item.locator('h3', { hasText: 'What changed since' }).waitFor();
      // What changed comes before the decision.
      const order = await item.evaluate((el) => {
        const changed = el.querySelector('h3');
        const decision = el.querySelector('.decision');
        return changed && decision ? Boolean(changed.compareDocumentPosition(decision) & Node.DOCUMENT_POSITION_FOLLOWING) : false;
      });
      expect(order, 'the decision comes before what changed');
      const person = await item.getAttribute('data-person');
      await item.locator('input.reason').fill('no contact in a year; keep on dormant watch');
      await item.locator('button[data-choice=dormant]').click();
      await item.locator('.message.ok').waitFor();
      await check(page, '24-review-dormant');
      const dossier = await api('GET', `/v1/persons/${person}`, 'supervisor');
      expect(/dormant/.test(JSON.stringify(dossier.json.watch ?? dossier.json.person.watch_level ?? '')), `${person} is not on dormant watch: ${JSON.stringify(dossier.json.watch)}`);
      await page.context().close();
    },

    async revoked() {
      const page = await newPage('revoked');
      const purpose = 'op lantern: tasking 118, screening hits';
      let token = '';
      page.on('request', (request) => {
        const auth = request.headers()['authorization'];
        if (auth) token = auth.replace(/^Bearer /, '');
      });
      await login(page, 'analyst', purpose);
      await goto(page, '/matches', '.queue-item[data-key]');
      const key = await page.locator('.queue-item[data-state=open]').first().getAttribute('data-key');
      const item = page.locator(`.queue-item[data-key="${key}"]`);
      const reason = 'the listed person was in custody on that date';
      await item.locator('input.reason').fill(reason);
      await page.waitForLoadState('networkidle');
      // The session ends elsewhere (as an administrator's revocation would).
      expect(token, 'no token seen');
      const out = await fetch(`${base}/v1/logout`, { method: 'POST', headers: { Authorization: `Bearer ${token}` } });
      expect(out.status === 200, `logout: ${out.status}`);
      await item.locator('button[data-choice=confirm]').click();
      await page.waitForSelector('dialog.relogin[open]');
      await check(page, '25-session-revoked');
      expect((await page.inputValue('dialog.relogin textarea[name=purpose]')) === purpose, 'the purpose was lost');
      await page.fill('dialog.relogin input[name=password]', PASSWORD);
      await page.click('dialog.relogin button[type=submit]');
      await item.locator('.message.ok').waitFor();
      expect((await item.locator('input.reason').inputValue()) === reason, 'the typed reason was lost');
      expect(new URL(page.url()).pathname === '/matches', `not on the same page: ${page.url()}`);
      const after = await api('GET', '/v1/screening/matches?limit=5000', 'analyst');
      expect(after.json.matches.find((m) => m.key === key)?.state === 'confirmed', 'the retried decision was not stored');
      await page.context().close();
    },

    async restarted() {
      let server = await startServer();
      const port = server.port;
      const page = await newPage('restarted');
      const purpose = 'op lantern: tasking 119, night shift';
      await login(page, 'analyst', purpose, server.url);
      const alert = (await openAlerts('analyst')).find((a) => a.person_id);
      await goto(page, `/alerts?subject=${alert.person_id}`, `tr[data-key="${alert.key}"]`);
      await page.click(`tr[data-key="${alert.key}"] td.score`);
      const reason = 'seen on the restart shift: benign';
      await page.fill('input[name=reason]', reason);
      // The server restarts: every session is gone.
      await stopServer(server.child);
      server = await startServer(port);
      await page.click('button[data-action=dismiss]');
      await page.waitForSelector('dialog.relogin[open]');
      expect((await page.inputValue('dialog.relogin textarea[name=purpose]')) === purpose, 'the purpose was lost');
      await page.fill('dialog.relogin input[name=password]', PASSWORD);
      await page.click('dialog.relogin button[type=submit]');
      await page.waitForSelector(`tr[data-key="${alert.key}"][data-state=dismissed]`, { state: 'attached' });
      expect(new URL(page.url()).pathname === '/alerts', `not on the same page: ${page.url()}`);
      expect((await page.textContent('.purpose')) === purpose, 'the header lost the purpose');
      const history = await api('GET', `/v1/alerts/history?key=${encodeURIComponent(alert.key)}`, 'analyst');
      expect(history.json.decisions.at(-1)?.reason === reason, 'the reason typed before the restart was not sent');
      await page.context().close();
      await stopServer(server.child);
    },
  };
  return { order: ['triageKeyboard', 'dismissAudit', 'matchDismiss', 'reviewDormant', 'revoked', 'restarted'], journeys };
}
