// User administration for a centre (用户管理): the users of its region, a new user, disable and
// enable. The server decides who a centre manages (GET/POST /api/users, docs/API.md); the page
// shows what it answers and never offers a role the form cannot send.
import { api } from '../api';
import { csvButton } from '../csv';
import { regionText } from '../divisions';
import { errorBox, h, table } from '../dom';
import { t, tv } from '../i18n';
import { chinaTime } from '../time';
import type { Answer } from '../types';

type ManagedUser = Answer<'/api/users'>['users'][number];
const ROLES = ['investigator', 'hotline', 'bank', 'auditor', 'centre'];

function regionOf(u: ManagedUser): string {
  return u.region ? regionText(u.region, u.region_name) : t('users.national');
}

function row(u: ManagedUser, refresh: () => void, self: string): (string | HTMLElement)[] {
  const status = u.disabled_at ? `${t('users.disabled')} ${chinaTime(u.disabled_at)}` : t('users.active');
  const flip = h('button', {
    class: 'link', id: `user-${u.disabled_at ? 'enable' : 'disable'}-${u.name}`,
    onclick: async () => {
      try {
        await api('POST', `/api/users/${encodeURIComponent(u.name)}/${u.disabled_at ? 'enable' : 'disable'}`, {});
        refresh();
      } catch (e) {
        flip.replaceWith(errorBox(e));
      }
    },
  }, u.disabled_at ? t('users.enable') : t('users.disable'));
  return [u.name, tv('role', u.role), regionOf(u), u.institution, chinaTime(u.created_at), status,
    u.name === self ? '' : flip];
}

function addForm(refresh: () => void, out: HTMLElement): HTMLElement {
  const name = h('input', { id: 'user-name', required: true, maxlength: 64 });
  const role = h('select', { id: 'user-role' }, ...ROLES.map((r) => h('option', { value: r }, tv('role', r))));
  const region = h('input', { id: 'user-region', placeholder: '330100', maxlength: 6 });
  const institution = h('input', { id: 'user-institution', maxlength: 100 });
  const password = h('input', { id: 'user-password', type: 'password', minlength: 8, required: true });
  const form = h('form', { id: 'user-add', class: 'inline' },
    h('label', {}, t('login.user'), name), h('label', {}, t('users.role'), role),
    h('label', {}, t('common.region'), region), h('label', {}, t('common.institution'), institution),
    h('label', {}, t('login.password'), password), h('button', { type: 'submit' }, t('users.add')));
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    out.replaceChildren();
    try {
      await api('POST', '/api/users', {
        name: name.value.trim(), role: role.value, region: region.value.trim(),
        institution: institution.value.trim(), password: password.value,
      });
      password.value = '';
      out.append(h('div', { class: 'ok', id: 'user-added' }, `${t('users.added')} ${name.value.trim()}`));
      refresh();
    } catch (e) {
      out.append(errorBox(e));
    }
  });
  return form;
}

export function usersView(root: HTMLElement, self: string): void {
  const list = h('div', { id: 'users-list' });
  const note = h('div', {});
  const title = h('h2', {}, t('users.title'));
  const refresh = () => {
    void (async () => {
      try {
        const { users } = await api<Answer<'/api/users'>>('GET', '/api/users');
        const head = [t('login.user'), t('users.role'), t('common.region'), t('common.institution'),
          t('users.created'), t('common.status'), ''];
        list.replaceChildren(table(head, users.map((u) => row(u, refresh, self)), { id: 'users-table' }));
        title.replaceChildren(t('users.title'), csvButton('users', () => head.slice(0, 6),
          () => users.map((u) => row(u, refresh, self).slice(0, 6) as string[])));
      } catch (e) {
        list.replaceChildren(errorBox(e));
      }
    })();
  };
  root.append(title, h('p', { class: 'muted' }, t('users.scope')), list, h('h3', {}, t('users.add')), addForm(refresh, note), note);
  refresh();
}
