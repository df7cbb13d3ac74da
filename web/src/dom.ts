// Small DOM helpers: every view builds its elements with h(), which sets
// text and attributes, never markup, so no server string can become HTML.

export type Child = Node | string | number | null | undefined | false | Child[];

export interface Props {
  class?: string;
  id?: string;
  // Event handlers: { click: (e) => ... }.
  on?: Partial<{ [K in keyof HTMLElementEventMap]: (event: HTMLElementEventMap[K]) => void }>;
  // Inline style properties (set through the CSSOM, allowed by the CSP).
  style?: Partial<Record<string, string>>;
  // Any other attribute: a string, or true for a boolean attribute, or
  // false/undefined/null to leave it out.
  [attribute: string]: unknown;
}

function append(parent: Node, child: Child): void {
  if (child === null || child === undefined || child === false) return;
  if (Array.isArray(child)) {
    for (const c of child) append(parent, c);
    return;
  }
  parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
}

// Creates <tag> with the given properties and children.
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  props: Props | null = null,
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  if (props) {
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'on') {
        for (const [name, handler] of Object.entries(value as Record<string, EventListener>)) {
          element.addEventListener(name, handler);
        }
      } else if (key === 'style') {
        for (const [name, v] of Object.entries(value as Record<string, string>)) {
          element.style.setProperty(name, v);
        }
      } else if (key === 'class') {
        element.className = String(value);
      } else if (value === true) {
        element.setAttribute(key, '');
      } else {
        element.setAttribute(key, String(value));
      }
    }
  }
  append(element, children);
  return element;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

// Creates an SVG element with attributes.
export function svg<K extends keyof SVGElementTagNameMap>(
  tag: K,
  attributes: Record<string, string | number> = {},
  ...children: (SVGElement | string)[]
): SVGElementTagNameMap[K] {
  const element = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  for (const child of children) {
    element.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

// Replaces every child of `parent` with `children`.
export function replace(parent: Element, ...children: Child[]): void {
  parent.replaceChildren();
  append(parent, children);
}

// A table: head labels and rows of cells. Rows may carry props (e.g. a
// class or data attributes).
export function table(
  head: string[],
  rows: { cells: Child[]; props?: Props }[],
  caption?: string,
): HTMLTableElement {
  return h(
    'table',
    { class: 'grid' },
    caption ? h('caption', null, caption) : null,
    h('thead', null, h('tr', null, head.map((label) => h('th', { scope: 'col' }, label)))),
    h(
      'tbody',
      null,
      rows.map((row) => h('tr', row.props ?? null, row.cells.map((cell) => h('td', null, cell)))),
    ),
  );
}

// A labelled form field.
export function field(label: string, control: HTMLElement, hint?: string): HTMLElement {
  if (!control.id) control.id = `f-${Math.random().toString(36).slice(2, 10)}`;
  return h(
    'div',
    { class: 'field' },
    h('label', { for: control.id }, label),
    control,
    hint ? h('small', { class: 'hint' }, hint) : null,
  );
}

// A short pill for a state or a kind.
export function badge(text: string, kind = ''): HTMLElement {
  return h('span', { class: `badge ${kind}`.trim() }, text);
}

// Formats an ISO time for display (UTC, minutes): "2024-03-01 14:05".
export function when(iso: string | undefined | null): string {
  if (!iso) return '—';
  return iso.replace('T', ' ').replace(/:\d\d(\.\d+)?Z$/, '').replace(/Z$/, '');
}

// A <time> element for an ISO time, shown as when() shows it, on one line.
export function time(iso: string | undefined | null): HTMLElement {
  return h('time', { class: 'nowrap', datetime: iso ?? undefined }, when(iso));
}
