// Oversight for auditors: who looked at a person, when and why (the audit
// log, GET /v1/audit), and whether the log's hash chain and its signed
// checkpoints verify (GET /v1/audit/verify).
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

export const auditView: View = {
  path: '/audit',
  title: 'Audit',
  async render(main) {
    const subject = h('input', { type: 'text', placeholder: 'person id', size: '12' });
    const user = h('input', { type: 'text', placeholder: 'user', size: '12' });
    const from = h('input', { type: 'date' });
    const to = h('input', { type: 'date' });
    const chain = h('section', { class: 'panel', 'aria-label': 'Audit chain' }, h('h2', null, 'Audit chain'), loading('Verifying'));
    const results = h('div');
    const search = async (): Promise<void> => {
      results.replaceChildren(loading('Searching the audit log'));
      try {
        const reply = await get<{ records: AuditRecord[] }>('/v1/audit', { subject: subject.value.trim(), user: user.value.trim(), from: from.value, to: to.value, limit: 1000 });
        const records = reply.records.slice().reverse();
        results.replaceChildren(
          h('p', { class: 'subtitle', role: 'status' }, `${records.length} records${subject.value.trim() ? ` about ${subject.value.trim()}` : ''}, newest first${records.length >= 1000 ? ' (the earliest 1,000 that match: narrow by person, user or dates)' : ''}.`),
          records.length
            ? table(
                ['#', 'When (UTC)', 'Who', 'Action', 'Why (purpose)', 'Outcome', 'Object'],
                records.map((r) => ({
                  cells: [
                    h('span', { class: 'mono' }, String(r.seq)),
                    h('span', { class: 'mono nowrap' }, when(r.time)),
                    h('strong', null, r.user),
                    h('span', { class: 'mono' }, r.action),
                    r.purpose,
                    badge(r.outcome, r.outcome === 'refused' ? 'bad' : 'ok'),
                    h('span', { class: 'mono small' }, r.object),
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
    get<Verify>('/v1/audit/verify')
      .then((v) =>
        chain.replaceChildren(
          h('h2', null, 'Audit chain'),
          h(
            'p',
            { 'data-testid': 'chain-state' },
            v.intact ? badge('intact', 'ok') : badge('BROKEN', 'bad'),
            ` ${v.records} records, ${v.checkpoints} signed checkpoints verified.`,
          ),
          ...(v.problems.length ? [h('ul', null, v.problems.map((p) => h('li', { class: 'message error' }, p)))] : []),
        ),
      )
      .catch((error: unknown) => chain.replaceChildren(h('h2', null, 'Audit chain'), errorBox(error)));
    await search();
    return undefined;
  },
};
