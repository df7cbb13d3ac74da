// Shared pieces of the views: error and status messages, loading, reason
// prompts. A failed call always shows the server's message.
import { ApiError } from './api';
import { h } from './dom';

// A message box for an error: the server's message, its code and status.
export function errorBox(error: unknown): HTMLElement {
  const message =
    error instanceof ApiError
      ? `${error.message} (${error.code}${error.status ? `, HTTP ${error.status}` : ''})`
      : error instanceof Error
        ? error.message
        : String(error);
  return h('div', { class: 'message error', role: 'alert' }, message);
}

export function notice(text: string): HTMLElement {
  return h('div', { class: 'message ok', role: 'status' }, text);
}

export function loading(what = 'Loading'): HTMLElement {
  return h('p', { class: 'loading', 'aria-live': 'polite' }, `${what}…`);
}

// Runs `load` and shows its result in `target`, or the error.
export async function show(target: HTMLElement, load: () => Promise<Node | Node[]>): Promise<void> {
  target.replaceChildren(loading());
  try {
    const result = await load();
    target.replaceChildren(...(Array.isArray(result) ? result : [result]));
  } catch (error) {
    target.replaceChildren(errorBox(error));
  }
}

// The page heading with an optional subtitle.
export function pageHeader(title: string, subtitle?: string, ...actions: Node[]): HTMLElement {
  return h(
    'header',
    { class: 'page-header' },
    h('div', null, h('h1', null, title), subtitle ? h('p', { class: 'subtitle' }, subtitle) : null),
    actions.length ? h('div', { class: 'actions' }, actions) : null,
  );
}

// A form asking for a reason before a decision; `decide` gets the reason.
// The button stays disabled until a reason is typed; the server's answer or
// error is shown beside it.
export function reasonForm(
  label: string,
  choices: { value: string; label: string; kind?: string; reasonOptional?: boolean }[],
  decide: (choice: string, reason: string) => Promise<string>,
): HTMLElement {
  const reason = h('input', { type: 'text', class: 'reason', placeholder: 'Reason (kept in the audit log)', 'aria-label': `${label}: reason`, required: true });
  const status = h('div', { class: 'decision-status', 'aria-live': 'polite' });
  const buttons = choices.map((choice) =>
    h(
      'button',
      {
        type: 'button',
        class: `btn ${choice.kind ?? ''}`,
        'data-choice': choice.value,
        on: {
          click: async () => {
            if (!reason.value.trim() && !choice.reasonOptional) {
              status.replaceChildren(errorBox(new Error('A reason is required.')));
              reason.focus();
              return;
            }
            for (const b of buttons) b.disabled = true;
            try {
              const text = await decide(choice.value, reason.value.trim());
              status.replaceChildren(notice(text));
            } catch (error) {
              status.replaceChildren(errorBox(error));
              for (const b of buttons) b.disabled = false;
            }
          },
        },
      },
      choice.label,
    ),
  );
  return h('div', { class: 'decision', role: 'group', 'aria-label': label }, reason, buttons, status);
}
