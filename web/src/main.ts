// The dashboard: a hash router over the views, the login gate and the language switch.
import './style.css';
import { logout, restoreSession, session } from './api';
import { disposeCharts } from './charts';
import { h } from './dom';
import { initLang, lang, onLangChange, setLang, t, tv, type Key } from './i18n';
import { auditView } from './views/audit';
import { bankView } from './views/bank';
import { casesView, forgetQueue, queueHref } from './views/cases';
import { gangView } from './views/gang';
import { hotlineView } from './views/hotline';
import { leadsView } from './views/leads';
import { loginView } from './views/login';
import { ordersView } from './views/orders';
import { profileView } from './views/profile';
import { reportView } from './views/report';
import { searchBox, searchView } from './views/search';
import { statsView } from './views/stats';
import { takedownsView } from './views/takedowns';
import { traceView } from './views/trace';
import { usersView } from './views/users';
import { profileFromParts } from './profile';
import { notificationBell, startNotifications, stopNotifications } from './notify';

interface Tab { path: string; label: Key; roles: string[] }
// The first tab a role may see is its landing page after login.
const TABS: Tab[] = [
  { path: 'bank', label: 'nav.bank', roles: ['bank'] },
  { path: 'cases', label: 'nav.cases', roles: ['centre', 'investigator'] },
  { path: 'report', label: 'nav.report', roles: ['centre', 'investigator'] },
  { path: 'trace', label: 'nav.trace', roles: ['centre', 'investigator'] },
  { path: 'orders', label: 'trace.orders', roles: ['centre', 'investigator', 'bank'] },
  { path: 'gang', label: 'nav.gang', roles: ['centre', 'investigator'] },
  { path: 'leads', label: 'nav.leads', roles: ['centre', 'investigator'] },
  { path: 'takedowns', label: 'nav.takedowns', roles: ['centre', 'investigator'] },
  { path: 'hotline', label: 'nav.hotline', roles: ['centre', 'hotline'] },
  { path: 'stats', label: 'nav.stats', roles: ['centre', 'investigator', 'hotline'] },
  { path: 'users', label: 'nav.users', roles: ['centre'] },
  { path: 'audit', label: 'nav.audit', roles: ['auditor'] },
];

const app = document.getElementById('app')!;

function go(hash: string): void {
  if (location.hash === hash) render();
  else location.hash = hash;
}

function render(): void {
  disposeCharts();
  const { user } = session();
  const langButton = h('button', { id: 'lang-switch', class: 'link', onclick: () => setLang(lang() === 'en' ? 'zh-CN' : 'en') }, t('lang.switch'));
  const header = h('header', {}, h('h1', {}, t('app.title'), h('small', {}, t('app.subtitle'))));
  const main = h('main', {});
  app.replaceChildren(header, main);
  if (!user) {
    stopNotifications();
    header.append(h('div', { class: 'who' }, langButton));
    loginView(main, () => go('#/'));
    return;
  }
  startNotifications();
  const tabs = TABS.filter((x) => x.roles.includes(user.role));
  const [path, arg = '', ...more] = location.hash.replace(/^#\/?/, '').split('/').map(decodeURIComponent);
  const current = tabs.find((x) => x.path === path) ?? tabs[0];
  header.append(
    h('nav', {}, ...tabs.map((x) => h('a', { href: x.path === 'cases' ? queueHref() : `#/${x.path}`, class: x === current ? 'active' : '', id: `nav-${x.path}` }, t(x.label)))),
    ...(['centre', 'investigator'].includes(user.role) ? [searchBox(go)] : []),
    h('div', { class: 'who' }, notificationBell(), `${user.name} · ${tv('role', user.role)}`, langButton,
      h('button', { class: 'link', id: 'logout', onclick: async () => {
        stopNotifications();
        try { await logout(); } catch { /* gone anyway */ }
        forgetQueue();
        go('#/');
      } }, t('nav.logout'))));
  if (path === 'search' && ['centre', 'investigator'].includes(user.role)) {
    searchView(main, arg);
    return;
  }
  // 画像: #/profile/{type}/{value}, opened from search hits, a case's accounts and counterparties.
  if (path === 'profile' && ['centre', 'investigator'].includes(user.role)) {
    const p = profileFromParts([arg, ...more]);
    profileView(main, p.type, p.value);
    return;
  }
  if (!current) return;
  switch (current.path) {
    case 'bank': bankView(main); break;
    case 'cases': casesView(main, arg, go); break;
    case 'report': reportView(main, go); break;
    case 'trace': traceView(main, arg); break;
    case 'orders': ordersView(main, arg); break;
    case 'gang': gangView(main, arg); break;
    case 'leads': leadsView(main); break;
    case 'takedowns': takedownsView(main, arg); break;
    case 'hotline': hotlineView(main, arg); break;
    case 'stats': statsView(main); break;
    case 'users': usersView(main, user.name); break;
    case 'audit': auditView(main, arg, go); break;
  }
}

initLang();
onLangChange(render);
window.addEventListener('hashchange', render);
window.addEventListener('fanzha:logout', render);
void restoreSession().then(render);
