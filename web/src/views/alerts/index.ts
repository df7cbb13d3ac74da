// The alerts queue: raised alerts with their evidence, filtered by kind,
// least score and subject. Keyboard: j / k move, o or Enter opens the
// subject, / focuses the filters, ? lists the keys. Triage actions
// (acknowledge, assign, dismiss, escalate) plug in through alertActions.
import { get, type Alert } from '../../api';
import { badge, field, h, when } from '../../dom';
import { navigate, type View } from '../../router';
import { errorBox, loading, pageHeader } from '../../ui';

// Renderers of a row's triage actions: each gets the alert and returns
// controls for its cell (the triage routes add theirs here).
export const alertActions: ((alert: Alert) => Node | null)[] = [];

// Keys of the queue besides j/k/o: a key and what it does to the current
// alert (the triage routes add theirs).
export const alertKeys = new Map<string, { label: string; run: (alert: Alert, row: HTMLElement) => void }>();

export const alertsView: View = {
  path: '/alerts',
  title: 'Alerts',
  async render(main) {
    const kind = h('select', null, h('option', { value: '' }, 'every kind'));
    const minScore = h('input', { type: 'number', min: '0', max: '1', step: '0.05', value: '0' });
    const subject = h('input', { type: 'text', placeholder: 'person id', size: '12' });
    const since = h('input', { type: 'date' });
    const body = h('tbody');
    const count = h('p', { class: 'subtitle', role: 'status' });
    const help = h(
      'p',
      { class: 'shortcuts' },
      'Keys: ', h('span', { class: 'kbd' }, 'j'), ' / ', h('span', { class: 'kbd' }, 'k'), ' next / previous · ',
      h('span', { class: 'kbd' }, 'o'), ' open subject · ', h('span', { class: 'kbd' }, '/'), ' filters',
      [...alertKeys.entries()].map(([key, k]) => [' · ', h('span', { class: 'kbd' }, key), ` ${k.label}`]),
    );
    const grid = h(
      'table',
      { class: 'grid alerts', 'aria-label': 'Alerts' },
      h('thead', null, h('tr', null, ['Time', 'Kind', 'Score', 'Subject', 'Evidence', 'Actions'].map((t) => h('th', { scope: 'col' }, t)))),
      body,
    );
    const status = h('div', { 'aria-live': 'polite' });
    let alerts: Alert[] = [];
    let current = 0;

    const rows = (): HTMLTableRowElement[] => [...body.querySelectorAll<HTMLTableRowElement>('tr[data-index]')];
    const select = (index: number, focus = true): void => {
      const all = rows();
      if (!all.length) return;
      current = Math.max(0, Math.min(all.length - 1, index));
      all.forEach((row, i) => {
        row.classList.toggle('selected', i === current);
        if (i === current) row.setAttribute('aria-current', 'true');
        else row.removeAttribute('aria-current');
        row.tabIndex = i === current ? 0 : -1;
      });
      const row = all[current];
      if (row && focus) {
        row.focus();
        row.scrollIntoView({ block: 'nearest' });
      }
    };

    const draw = (): void => {
      const k = kind.value;
      const s = Number(minScore.value) || 0;
      const who = subject.value.trim();
      const shown = alerts.filter((a) => (!k || a.kind === k) && a.score >= s && (!who || a.person_id === who));
      count.textContent = `${shown.length} of ${alerts.length} alerts shown.`;
      body.replaceChildren(
        ...shown.slice(0, 500).map((a, i) =>
          h(
            'tr',
            { 'data-index': String(i), 'data-person': a.person_id, 'data-kind': a.kind, tabindex: '-1', on: { click: () => select(i) } },
            h('td', { class: 'mono' }, when(a.time)),
            h('td', null, badge(a.kind, a.kind.includes('reactivation') ? 'bad' : 'warn')),
            h('td', { class: 'score' }, a.score.toFixed(2)),
            h('td', null, a.person_id ? h('a', { href: `/subject/${encodeURIComponent(a.person_id)}` }, a.person_id) : '—'),
            h('td', { class: 'explanation' }, a.evidence),
            h('td', null, alertActions.map((render) => render(a))),
          ),
        ),
      );
      if (!shown.length) body.replaceChildren(h('tr', null, h('td', { colspan: '6', class: 'empty' }, 'No alert matches the filters.')));
      select(0, false);
    };

    const load = async (): Promise<void> => {
      status.replaceChildren(loading('Loading alerts'));
      try {
        const reply = await get<{ alerts: Alert[] }>('/v1/alerts', { since: since.value || undefined, limit: 5000 });
        alerts = reply.alerts.sort((a, b) => b.score - a.score || b.time.localeCompare(a.time));
        const kinds = [...new Set(alerts.map((a) => a.kind))].sort();
        kind.replaceChildren(h('option', { value: '' }, 'every kind'), ...kinds.map((k) => h('option', { value: k }, k)));
        status.replaceChildren();
        draw();
      } catch (error) {
        status.replaceChildren(errorBox(error));
      }
    };

    for (const control of [kind, minScore, subject]) control.addEventListener('input', draw);
    since.addEventListener('change', () => void load());

    const onKey = (event: KeyboardEvent): void => {
      const target = event.target as HTMLElement;
      if (target.closest('input, select, textarea, dialog')) {
        if (event.key === 'Escape') (target as HTMLElement).blur();
        return;
      }
      const shown = rows();
      const row = shown[current];
      const alert = row ? alerts.find((a) => a.person_id === row.dataset['person'] && a.kind === row.dataset['kind']) : undefined;
      if (event.key === 'j') select(current + 1);
      else if (event.key === 'k') select(current - 1);
      else if ((event.key === 'o' || event.key === 'Enter') && row?.dataset['person']) navigate(`/subject/${encodeURIComponent(row.dataset['person'])}`);
      else if (event.key === '/') kind.focus();
      else if (event.key === '?') help.focus();
      else {
        const action = alertKeys.get(event.key);
        if (!action || !alert || !row) return;
        action.run(alert, row);
      }
      event.preventDefault();
    };
    document.addEventListener('keydown', onKey);

    main.replaceChildren(
      pageHeader('Alerts', 'Raised alerts, highest score first, each with its evidence. People decide: an alert is a question, not a finding.'),
      h('div', { class: 'toolbar', role: 'search', 'aria-label': 'Filter alerts' }, field('Kind', kind), field('Least score', minScore), field('Subject', subject), field('Since', since)),
      help,
      count,
      status,
      h('div', { class: 'table-scroll' }, grid),
    );
    help.tabIndex = -1;
    await load();
    return () => document.removeEventListener('keydown', onKey);
  },
};
