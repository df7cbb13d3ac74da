// The network explorer (sigma.js + graphology, layout in a web worker) is
// built here by the ui-api branch; it follows the timeline's brushed window
// through state.ts (brushedWindow).
import type { View } from '../../router';
import { pageHeader } from '../../ui';

export const networkView: View = {
  path: '/network',
  title: 'Network',
  render(main) {
    main.replaceChildren(pageHeader('Network', 'The network explorer is not part of this build yet.'));
  },
};
