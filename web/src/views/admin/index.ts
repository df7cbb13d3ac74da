// Administration: users, their roles and compartments (GET/POST
// /v1/users...). Admins read no personal data; this page shows accounts only.
import { get, post } from '../../api';
import { badge, field, h, table, type Child } from '../../dom';
import type { View } from '../../router';
import { errorBox, loading, notice, pageHeader } from '../../ui';

interface User {
  name: string;
  role: string;
  compartments: string[];
  disabled: boolean;
}
const ROLES = ['analyst', 'supervisor', 'auditor', 'admin'];

function userRow(u: User, reload: () => void): { cells: Child[] } {
  const status = h('div', { 'aria-live': 'polite' });
  const role = h('select', { 'aria-label': `Role of ${u.name}` }, ROLES.map((r) => h('option', { value: r, selected: r === u.role }, r)));
  const compartment = h('input', { type: 'text', size: '10', placeholder: 'compartment', 'aria-label': `Compartment to grant or revoke for ${u.name}` });
  const act = async (what: () => Promise<unknown>, done: string): Promise<void> => {
    try {
      await what();
      status.replaceChildren(notice(done));
      window.setTimeout(reload, 700);
    } catch (error) {
      status.replaceChildren(errorBox(error));
    }
  };
  const path = `/v1/users/${encodeURIComponent(u.name)}`;
  return {
    cells: [
      h('strong', null, u.name),
      [badge(u.role), u.disabled ? [' ', badge('disabled', 'bad')] : null],
      u.compartments.length ? u.compartments.map((c) => h('span', { class: 'chip' }, c === '*' ? '* (all)' : c)) : h('span', { class: 'empty' }, 'none'),
      h(
        'div',
        { class: 'decision' },
        role,
        h('button', { type: 'button', class: 'btn small', on: { click: () => void act(() => post(`${path}/role`, { role: role.value }), `${u.name} is now ${role.value}.`) } }, 'Set role'),
        compartment,
        h('button', { type: 'button', class: 'btn small', on: { click: () => void act(() => post(`${path}/grant`, { compartment: compartment.value.trim() }), `${compartment.value} granted to ${u.name}.`) } }, 'Grant'),
        h('button', { type: 'button', class: 'btn small', on: { click: () => void act(() => post(`${path}/revoke`, { compartment: compartment.value.trim() }), `${compartment.value} revoked from ${u.name}.`) } }, 'Revoke'),
        status,
      ),
    ],
  };
}

export const adminView: View = {
  path: '/admin',
  title: 'Users and compartments',
  async render(main) {
    const list = h('div', null, loading('Loading users'));
    const load = async (): Promise<void> => {
      try {
        const reply = await get<{ users: User[] }>('/v1/users');
        const compartments = [...new Set(reply.users.flatMap((u) => u.compartments))].sort();
        list.replaceChildren(
          table(['User', 'Role', 'Compartments', 'Change'], reply.users.map((u) => userRow(u, () => void load()))),
          h('section', { class: 'panel' }, h('h2', null, 'Compartments in use'), compartments.map((c) => h('span', { class: 'chip' }, c))),
        );
      } catch (error) {
        list.replaceChildren(errorBox(error));
      }
    };
    const name = h('input', { type: 'text', autocomplete: 'off' });
    const role = h('select', null, ROLES.map((r) => h('option', { value: r }, r)));
    const password = h('input', { type: 'password', autocomplete: 'new-password' });
    const compartments = h('input', { type: 'text', placeholder: 'general,ops (or *)' });
    const addStatus = h('div', { 'aria-live': 'polite' });
    const add = h(
      'form',
      { class: 'panel toolbar', 'aria-label': 'Add a user' },
      field('New user', name),
      field('Role', role),
      field('Password (8+)', password),
      field('Compartments', compartments),
      h('button', { type: 'submit', class: 'btn primary' }, 'Add user'),
      addStatus,
    );
    add.addEventListener('submit', async (event) => {
      event.preventDefault();
      try {
        const body: Record<string, string> = { name: name.value.trim(), role: role.value, password: password.value };
        if (compartments.value.trim()) body['compartments'] = compartments.value.trim();
        await post('/v1/users', body);
        password.value = '';
        addStatus.replaceChildren(notice(`${name.value} added.`));
        await load();
      } catch (error) {
        addStatus.replaceChildren(errorBox(error));
      }
    });
    main.replaceChildren(pageHeader('Users and compartments', 'Accounts, roles and the compartments each may see. Admins see no personal data.'), list, add);
    await load();
    return undefined;
  },
};
