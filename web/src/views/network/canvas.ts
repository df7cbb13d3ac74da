// Saved investigations: the network view saved as a named canvas of a case
// (POST /v1/cases/{case}/canvases/{name} with the version read, so a stale
// save gets the server's 409) and reopened as it was left. When the server
// withheld part of a canvas from the user, the panel says so, never what.
import { get, post, type CaseInfo } from '../../api';
import { h, when } from '../../dom';
import { errorBox, notice } from '../../ui';
import { fromDocument, type CanvasDocument, type CanvasState } from './model';

export interface CanvasMeta {
  caseId: string;
  name: string;
  version: number;
  withheld: boolean;
}

interface CanvasReply {
  case_id: string;
  name: string;
  version: number;
  withheld: boolean;
  updated_by: string;
  updated_at: string;
  document?: unknown;
}

export interface CanvasHooks {
  // The current view as a canvas document.
  document(): CanvasDocument;
  // The canvas open now (null: an unsaved view).
  meta(): CanvasMeta | null;
  // A canvas was opened: show it as saved.
  opened(state: CanvasState, meta: CanvasMeta): void;
  // The view was saved as `meta`.
  saved(meta: CanvasMeta): void;
}

export const WITHHELD_TEXT = 'Part of this canvas was withheld: it holds something you may not see.';

export function withheldNotice(): HTMLElement {
  return h('div', { class: 'message warn', role: 'status', 'data-testid': 'canvas-withheld' }, WITHHELD_TEXT);
}

export interface CanvasPanel {
  element: HTMLElement;
  open(caseId: string, name: string): Promise<boolean>;
  update(): void;
}

export function canvasPanel(hooks: CanvasHooks): CanvasPanel {
  const caseSelect = h('select', { name: 'case', 'aria-label': 'Case' });
  const nameInput = h('input', { type: 'text', name: 'canvas', placeholder: 'canvas name', 'aria-label': 'Canvas name', pattern: '[A-Za-z0-9._\\-]+', maxlength: '64' });
  const status = h('div', { class: 'canvas-status', 'aria-live': 'polite' });
  const list = h('ul', { class: 'canvas-list' });
  const current = h('p', { class: 'hint', 'data-testid': 'canvas-current' });

  function update(): void {
    const meta = hooks.meta();
    current.replaceChildren(meta ? `Open: ${meta.caseId} / ${meta.name} (version ${meta.version})` : 'Not saved yet.');
    if (meta) {
      caseSelect.value = meta.caseId;
      nameInput.value = meta.name;
    }
  }

  async function loadCases(): Promise<void> {
    try {
      const reply = await get<{ cases: CaseInfo[] }>('/v1/cases');
      const meta = hooks.meta();
      caseSelect.replaceChildren(
        ...(reply.cases.length ? [] : [h('option', { value: '' }, 'no case you may see')]),
        ...reply.cases.map((c) => h('option', { value: c.case_id }, `${c.case_id} (${c.compartment})`)),
      );
      if (meta) caseSelect.value = meta.caseId;
      await loadList();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  async function loadList(): Promise<void> {
    const caseId = caseSelect.value;
    if (!caseId) {
      list.replaceChildren();
      return;
    }
    try {
      const reply = await get<{ canvases: CanvasReply[] }>(`/v1/cases/${encodeURIComponent(caseId)}/canvases`);
      list.replaceChildren(
        ...(reply.canvases.length ? [] : [h('li', { class: 'empty' }, 'No canvas in this case yet.')]),
        ...reply.canvases.map((c) =>
          h(
            'li',
            { 'data-canvas': c.name },
            h('button', { type: 'button', class: 'btn small', on: { click: () => void open(c.case_id, c.name) } }, `Open ${c.name}`),
            ` v${c.version} · ${c.updated_by} ${when(c.updated_at)}`,
            c.withheld ? ' · partly withheld' : '',
          ),
        ),
      );
    } catch (error) {
      list.replaceChildren(h('li', null, errorBox(error)));
    }
  }

  async function open(caseId: string, name: string): Promise<boolean> {
    status.replaceChildren(h('span', { class: 'loading' }, `Opening ${name}…`));
    try {
      const reply = await get<CanvasReply>(`/v1/cases/${encodeURIComponent(caseId)}/canvases/${encodeURIComponent(name)}`);
      const meta = { caseId, name, version: reply.version, withheld: reply.withheld };
      hooks.opened(fromDocument(reply.document), meta);
      status.replaceChildren(reply.withheld ? withheldNotice() : notice(`Opened ${name} (version ${reply.version}).`));
      update();
      return true;
    } catch (error) {
      status.replaceChildren(errorBox(error));
      return false;
    }
  }

  async function save(): Promise<void> {
    const caseId = caseSelect.value;
    const name = nameInput.value.trim();
    if (!caseId || !name) {
      status.replaceChildren(errorBox(new Error('Choose a case and type a name for the canvas.')));
      return;
    }
    const meta = hooks.meta();
    const version = meta && meta.caseId === caseId && meta.name === name ? meta.version : 0;
    try {
      const reply = await post<{ version: number }>(`/v1/cases/${encodeURIComponent(caseId)}/canvases/${encodeURIComponent(name)}`, {
        document: hooks.document(),
        version,
      });
      const next = { caseId, name, version: reply.version, withheld: meta?.withheld ?? false };
      hooks.saved(next);
      status.replaceChildren(notice(`Saved ${name} in ${caseId} (version ${reply.version}).`), next.withheld ? withheldNotice() : '');
      update();
      await loadList();
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  }

  caseSelect.addEventListener('change', () => void loadList());
  const element = h(
    'section',
    { class: 'panel canvas-panel', 'aria-label': 'Saved canvases' },
    h('h2', null, 'Canvas'),
    current,
    h(
      'form',
      {
        class: 'canvas-form',
        on: {
          submit: (event: SubmitEvent) => {
            event.preventDefault();
            void save();
          },
        },
      },
      caseSelect,
      nameInput,
      h('button', { type: 'submit', class: 'btn primary', 'data-action': 'save-canvas' }, 'Save canvas'),
    ),
    status,
    h('h3', null, 'Canvases of the case'),
    list,
  );
  void loadCases();
  update();
  return { element, open, update };
}
