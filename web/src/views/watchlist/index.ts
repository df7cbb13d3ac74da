// Watch-list proposals (four eyes): an entry proposed by one person is
// listed only once a second person approves it; the proposer cannot.
import { currentSession, get, post } from '../../api';
import { badge, h, table, time } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, pageHeader, reasonForm } from '../../ui';

interface Proposal {
  entry_id: string;
  list: string;
  proposed_by: string;
  proposed_at: string;
  content_hash: string;
}

export const watchlistView: View = {
  path: '/watchlist',
  title: 'Watch-list proposals',
  async render(main) {
    const list = h('div', null, loading('Loading proposals'));
    main.replaceChildren(pageHeader('Watch-list proposals', 'Four eyes: an entry is listed only when a second person approves it. You cannot approve your own proposal.'), list);
    try {
      const reply = await get<{ proposals: Proposal[] }>('/v1/watchlist/proposals');
      const me = currentSession()?.user;
      list.replaceChildren(
        h('p', { class: 'subtitle', role: 'status' }, `${reply.proposals.length} proposals pending.`),
        reply.proposals.length
          ? table(
              ['Entry', 'List', 'Proposed by', 'When', 'Decision'],
              reply.proposals.map((p) => ({
                props: { 'data-entry': p.entry_id },
                cells: [
                  h('span', { class: 'mono' }, p.entry_id),
                  badge(p.list),
                  p.proposed_by === me ? [p.proposed_by, ' ', badge('you', 'warn')] : p.proposed_by,
                  time(p.proposed_at),
                  reasonForm(`Decide ${p.entry_id}`, [{ value: 'approve', label: 'Approve', kind: 'good', reasonOptional: true }, { value: 'refuse', label: 'Refuse', kind: 'bad' }], async (choice, reason) => {
                    // An approval names the content it approves (the hash the
                    // list showed), so a proposal changed since is not approved;
                    // it takes no reason (the approval is audited with the
                    // session's purpose); a refusal does.
                    const body = choice === 'refuse' ? { reason } : { content_hash: p.content_hash };
                    const r = await post<{ state?: string }>(`/v1/watchlist/proposals/${encodeURIComponent(p.entry_id)}/${choice}`, body);
                    return `${p.entry_id}: ${r.state ?? (choice === 'approve' ? 'approved' : 'refused')}. Recorded in the audit log.`;
                  }),
                ],
              })),
            )
          : h('p', { class: 'empty' }, 'No proposal is pending.'),
      );
    } catch (error) {
      list.replaceChildren(errorBox(error));
    }
    return undefined;
  },
};
