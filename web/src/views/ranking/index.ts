// Ranking: people ordered for close watch, each factor as a bar with its
// weight, so the order can be questioned factor by factor.
import { get } from '../../api';
import { field, h } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, pageHeader } from '../../ui';

interface Ranked {
  person_id: string;
  rank: number;
  score: number;
  factors: { name: string; value: number; weight: number }[];
}

const PALETTE = ['#1d4f91', '#2a8c5a', '#b86e00', '#7a4fb5', '#c0282d', '#2f8f9d', '#6b7a8f'];

// The score as a stacked bar of each factor's contribution (value x weight).
function composition(r: Ranked, names: string[]): HTMLElement {
  const total = r.factors.reduce((sum, f) => sum + Math.max(0, f.value * f.weight), 0) || 1;
  return h(
    'div',
    { class: 'stack', title: 'contribution of each factor to the score' },
    r.factors.map((f) =>
      h('span', {
        style: { width: `${((Math.max(0, f.value * f.weight) / total) * 100).toFixed(1)}%`, background: PALETTE[names.indexOf(f.name) % PALETTE.length] ?? '#1d4f91' },
        title: `${f.name}: ${(f.value * f.weight).toFixed(2)}`,
      }),
    ),
  );
}

function bars(r: Ranked): HTMLElement {
  return h(
    'div',
    { class: 'bars', role: 'list', 'aria-label': `Factors of ${r.person_id}` },
    r.factors.map((f) => {
      const value = Math.max(0, Math.min(1, f.value));
      return [
        h('span', { role: 'listitem' }, f.name),
        h('span', { class: 'bar', title: `value ${f.value.toFixed(3)} × weight ${f.weight.toFixed(2)}` }, h('span', { style: { width: `${(value * 100).toFixed(1)}%`, opacity: String(0.35 + 0.65 * Math.min(1, f.weight / 0.3)) } })),
        h('span', { class: 'score' }, `${f.value.toFixed(2)} × ${f.weight.toFixed(2)} = ${(f.value * f.weight).toFixed(2)}`),
      ];
    }),
  );
}

export const rankingView: View = {
  path: '/ranking',
  title: 'Ranking',
  async render(main) {
    const capacity = h('input', { type: 'number', min: '1', max: '1000', value: '30' });
    const list = h('div', null);
    const load = async (): Promise<void> => {
      list.replaceChildren(loading('Ranking'));
      try {
        const reply = await get<{ ranking: Ranked[] }>('/v1/rank', { capacity: capacity.value });
        const names = [...new Set(reply.ranking.flatMap((r) => r.factors.map((f) => f.name)))];
        list.replaceChildren(
          h('div', { class: 'legend' }, names.map((n, i) => h('span', null, h('i', { style: { background: PALETTE[i % PALETTE.length] ?? '#1d4f91' } }), n))),
          reply.ranking.length
            ? h(
                'ol',
                { class: 'ranking' },
                reply.ranking.map((r) =>
                  h(
                    'li',
                    { class: 'queue-item rank-item' },
                    h('div', { class: 'rank-head' }, h('span', { class: 'rank-no' }, `#${r.rank}`), h('a', { href: `/subject/${encodeURIComponent(r.person_id)}` }, r.person_id), h('span', { class: 'score' }, `score ${r.score.toFixed(3)}`), composition(r, names)),
                    bars(r),
                  ),
                ),
              )
            : h('p', { class: 'empty' }, 'Nobody you may see is ranked.'),
        );
      } catch (error) {
        list.replaceChildren(errorBox(error));
      }
    };
    main.replaceChildren(
      pageHeader('Ranking', 'Where close watch should go. Each factor is shown as a bar (its value) with its weight in the score; no protected trait is a factor.'),
      h('div', { class: 'toolbar' }, field('People kept', capacity), h('button', { type: 'button', class: 'btn', on: { click: () => void load() } }, 'Rank')),
      list,
    );
    await load();
    return undefined;
  },
};
