// Freeze orders addressed to the caller (a bank liaison sees only its institution's).
import { api } from '../api';
import { errorBox, h, table } from '../dom';
import { t, tv } from '../i18n';
import { show } from '../money';
import type { FreezeOrder } from '../types';

export function ordersView(root: HTMLElement): void {
  const out = h('div', { id: 'orders-out' });
  root.append(h('h2', {}, t('trace.orders')), out);
  void api<{ orders: FreezeOrder[] }>('GET', '/api/freeze-orders').then((a) => {
    out.append(table(['#', t('common.case'), t('common.account'), t('common.institution'), t('trace.requested'), t('trace.frozen'), t('common.status')],
      a.orders.map((o) => [o.id, o.case, o.account, o.institution, show(o.amount), show(o.frozen || '0'), tv('status', o.status)]), { id: 'orders-table' }));
  }).catch((e) => out.append(errorBox(e)));
}
