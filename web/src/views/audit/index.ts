// Oversight for auditors: who looked at a person, when and why (the audit
// log, GET /v1/audit; /audit?subject=PERSON opens it on a person, with a
// summary per user first), and whether the log's hash chain and its signed
// checkpoints verify (GET /v1/audit/verify), checked on opening and again
// on demand. The query itself is written to the audit log by the server.
import { get } from '../../api';
import { badge, field, h, table, when } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, pageHeader } from '../../ui';


interface AuditRecord {
  seq: number;
  time: string;
  user: string;
  action: string;
  object: string;
  outcome: string;
  purpose: string;
  params: string;
  subjects: string[] | string;
  hash: string;
}
interface Verify {
  intact: boolean;
  records: number;
  checkpoints: number;
  problems: string[];
}

// The params of a record ("k=v; ...", or JSON) as shown: reasons and
// decisions are what an auditor looks for.
function paramsText(params: unknown): string {
  if (params === null || params === undefined) return '';
  if (typeof params === 'string') return params;
  return JSON.stringify(params);
}

// Who looked at the person: one row per user, with how often, when first
// and last, what they did and every purpose they gave.
export function summarise(records: Pick<AuditRecord, 'user' | 'time' | 'action' | 'purpose' | 'outcome'>[]): { user: string; count: number; refused: number; first: string; last: string; actions: string[]; purposes: string[] }[] {
  const byUser = new Map<string, { user: string; count: number; refused: number; first: string; last: string; actions: Set<string>; purposes: Set<string> }>();
  for (const r of records) {
    let row = byUser.get(r.user);
    if (!row) {
      row = { user: r.user, count: 0, refused: 0, first: r.time, last: r.time, actions: new Set(), purposes: new Set() };
      byUser.set(r.user, row);
    }
    row.count++;
    if (r.outcome === 'refused') row.refused++;
    if (r.time < row.first) row.first = r.time;
    if (r.time > row.last) row.last = r.time;
    row.actions.add(r.action);
    if (r.purpose) row.purposes.add(r.purpose);
  }
  return [...byUser.values()]
    .sort((a, b) => b.last.localeCompare(a.last))
    .map((r) => ({ ...r, actions: [...r.actions].sort(), purposes: [...r.purposes] }));
}

function whoLooked(person: string, records: AuditRecord[]): HTMLElement {
  const rows = summarise(records);
  return h(
    'section',
    { class: 'panel who-looked', 'aria-label': `Who looked at ${person}` },
    h('h2', null, `Who looked at ${person}, when and why`, h('span', { class: 'count' }, `${rows.length} users`)),
    rows.length
      ? table(
          ['Who', 'Records', 'First', 'Last', 'Why (purposes)', 'What'],
          rows.map((r) => ({
            props: { 'data-user': r.user },
            cells: [
              h('strong', null, r.user),
              [String(r.count), r.refused ? [' ', badge(`${r.refused} refused`, 'bad')] : null],
              h('span', { class: 'mono nowrap' }, when(r.first)),
              h('span', { class: 'mono nowrap' }, when(r.last)),
              h('ul', { class: 'plain' }, r.purposes.map((p) => h('li', null, p))),
              h('span', { class: 'mono small' }, r.actions.join(', ')),
            ],
          })),
        )
      : h('p', { class: 'empty' }, 'Nobody looked at this person in the records searched.'),
  );
}

export const auditView: View = {
  path: '/audit',
  title: 'Audit',
  async render(main, _params, query) {
    const subject = h('input', { type: 'text', name: 'subject', placeholder: 'person id', size: '12', value: query.get('subject') ?? '' });
    const user = h('input', { type: 'text', name: 'user', placeholder: 'user', size: '12', value: query.get('user') ?? '' });
    const from = h('input', { type: 'date' });
    const to = h('input', { type: 'date' });
    const chain = h('section', { class: 'panel', 'aria-label': 'Audit chain' }, h('h2', null, 'Audit chain'), loading('Verifying'));
    const results = h('div');
    const search = async (): Promise<void> => {
      results.replaceChildren(loading('Searching the audit log'));
      // The address names the search, so that a re-login or a reload returns to it.
      const address = new URLSearchParams();
      if (subject.value.trim()) address.set('subject', subject.value.trim());
      if (user.value.trim()) address.set('user', user.value.trim());
      history.replaceState(null, '', `/audit${address.size ? `?${address.toString()}` : ''}`);
      try {
        const reply = await get<{ records: AuditRecord[] }>('/v1/audit', { subject: subject.value.trim(), user: user.value.trim(), from: from.value, to: to.value, newest: true, limit: 1000 });
        const records = reply.records;
        const about = subject.value.trim();
        results.replaceChildren(
          ...(about ? [whoLooked(about, records)] : []),
          h('p', { class: 'subtitle', role: 'status' }, `${records.length} records${subject.value.trim() ? ` about ${subject.value.trim()}` : ''}, newest first${records.length >= 1000 ? ' (the latest 1,000 that match: narrow by person, user or dates)' : ''}.`),
          records.length
            ? table(
                ['#', 'When (UTC)', 'Who', 'Action', 'Why (purpose)', 'Outcome', 'Object', 'Details'],
                records.map((r) => ({
                  props: { 'data-action': r.action, 'data-outcome': r.outcome },
                  cells: [
                    h('span', { class: 'mono' }, String(r.seq)),
                    h('span', { class: 'mono nowrap' }, when(r.time)),
                    h('strong', null, r.user),
                    h('span', { class: 'mono' }, r.action),
                    r.purpose,
                    badge(r.outcome, r.outcome === 'refused' ? 'bad' : 'ok'),
                    h('span', { class: 'mono small' }, r.object),
                    h('span', { class: 'small params' }, paramsText(r.params)),
                  ],
                })),
              )
            : h('p', { class: 'empty' }, 'No record matches.'),
        );
      } catch (error) {
        results.replaceChildren(errorBox(error));
      }
    };
    const form = h(
      'form',
      { class: 'toolbar', role: 'search', 'aria-label': 'Search the audit log' },
      field('About person', subject),
      field('User', user),
      field('From', from),
      field('To', to),
      h('button', { type: 'submit', class: 'btn primary' }, 'Search'),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void search();
    });
    main.replaceChildren(
      pageHeader('Audit', 'Who looked at this person, when and why. Every read and write is in the hash-chained log.'),
      chain,
      form,
      results,
    );
    const verify = (): void => {
      chain.replaceChildren(h('h2', null, 'Audit chain'), loading('Verifying'));
      const again = h('button', { type: 'button', class: 'btn small', on: { click: verify } }, 'Verify again');
      get<Verify>('/v1/audit/verify')
        .then((v) =>
          chain.replaceChildren(
            h('h2', null, 'Audit chain'),
            h(
              'p',
              { 'data-testid': 'chain-state', 'data-intact': String(v.intact) },
              v.intact ? badge('intact', 'ok') : badge('BROKEN', 'bad'),
              ` ${v.records} records, ${v.checkpoints} signed checkpoints verified at ${when(new Date().toISOString())} UTC. `,
              again,
            ),
            ...(v.problems.length ? [h('ul', null, v.problems.map((p) => h('li', { class: 'message error' }, p)))] : []),
          ),
        )
        .catch((error: unknown) => chain.replaceChildren(h('h2', null, 'Audit chain'), errorBox(error), again));
    };
    verify();
    await search();
    return undefined;
  },
};
