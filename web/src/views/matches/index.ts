// Watch-list matches from screening: travel records and reports whose
// names matched a listed entry, each with the scorer's explanation.
// Confirming or dismissing a match needs a decision route the server does
// not have yet; the queue says so instead of pretending.
import { get } from '../../api';
import { badge, h, table, time } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, pageHeader } from '../../ui';

interface Match {
  source_kind: string;
  source_id: string;
  entry_id: string;
  score: number;
  explanation: string;
  seen_at: string;
  screened_at: string;
  retroactive: boolean;
}

export const matchesView: View = {
  path: '/matches',
  title: 'Watch-list matches',
  async render(main) {
    const list = h('div', null, loading('Loading matches'));
    main.replaceChildren(
      pageHeader('Watch-list matches', 'Travel records and reports whose names matched a listed entry, best first, with what matched how.'),
      h('p', { class: 'message warn', role: 'note' }, 'Confirming or dismissing a match is not available yet: the server has no decision route for screening matches. Open the subject to confirm an identity through its identifiers.'),
      list,
    );
    try {
      const reply = await get<{ matches: Match[] }>('/v1/screening/matches', { limit: 1000 });
      const matches = reply.matches.sort((a, b) => b.score - a.score);
      list.replaceChildren(
        h('p', { class: 'subtitle', role: 'status' }, `${matches.length} matches.`),
        matches.length
          ? table(
              ['Seen', 'Record', 'Entry', 'Score', 'Explanation'],
              matches.slice(0, 300).map((m) => ({
                cells: [
                  time(m.seen_at),
                  [badge(m.source_kind), ' ', h('span', { class: 'mono' }, m.source_id)],
                  [h('span', { class: 'mono' }, m.entry_id), m.retroactive ? [' ', badge('retroactive', 'warn')] : null],
                  h('span', { class: 'score' }, m.score.toFixed(2)),
                  h('span', { class: 'explanation' }, m.explanation),
                ],
              })),
            )
          : h('p', { class: 'empty' }, 'No match.'),
      );
    } catch (error) {
      list.replaceChildren(errorBox(error));
    }
    return undefined;
  },
};
