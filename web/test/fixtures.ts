// Answers in the documented shapes (TRACING.md, LINKING.md, docs/API.md), for unit tests only.
import type { Cluster, FreezePlan, Lead, Trace } from '../src/types';
import generated from './trace-C000001.json';

// A fifo trace of case C000001 of a generated world (`fanzha gen --transfers 5000 --cases 20`).
export const generatedTrace = generated as Trace;

// Money that goes round: A -> B -> C -> A, and C -> D where it is held; B pays itself once.
export const cyclicTrace: Trace = {
  case: 'CYC-1', policy: 'fifo', max_hops: 8, seed: '1000.00', until: '2020-02-09T00:00:00+08:00', dust: '0.00',
  held: [{ account: 'D', amount: '700.00', hops: 4, first_tainted_at: '2020-02-08T10:00:00+08:00' }],
  exits: [{ account: 'E', kind: 'withdrawal', amount: '300.00', hops: 3 }],
  flows: [
    { transfer: 'T1', from: 'V', to: 'A', amount: '1000.00', hops: 1, time: '2020-02-08T09:00:00+08:00' },
    { transfer: 'T2', from: 'A', to: 'B', amount: '600.00', hops: 2, time: '2020-02-08T09:10:00+08:00' },
    { transfer: 'T3', from: 'A', to: 'B', amount: '400.00', hops: 2, time: '2020-02-08T09:11:00+08:00' },
    { transfer: 'T4', from: 'B', to: 'B', amount: '10.00', hops: 3, time: '2020-02-08T09:12:00+08:00' },
    { transfer: 'T5', from: 'B', to: 'C', amount: '700.00', hops: 3, time: '2020-02-08T09:20:00+08:00' },
    { transfer: 'T6', from: 'B', to: 'E', amount: '300.00', hops: 3, time: '2020-02-08T09:21:00+08:00' },
    { transfer: 'T7', from: 'C', to: 'A', amount: '700.00', hops: 4, time: '2020-02-08T09:30:00+08:00' },
    { transfer: 'T8', from: 'A', to: 'D', amount: '700.00', hops: 5, time: '2020-02-08T09:40:00+08:00' },
  ],
};

export const plan: FreezePlan = {
  case: 'CYC-1', policy: 'fifo', seed: '1000.00', to_freeze: '700.00',
  accounts: [{ account: 'D', institution: '中国工商银行', region: '450200', amount: '700.00', hops: 4,
    first_tainted_at: '2020-02-08T09:40:00+08:00', minutes_per_hop: 10, urgency: 'critical' }],
};

export const cluster: Cluster = {
  id: 'K000017', cases: ['CASE000012', 'CASE000345', 'CASE000400'], loss: '66000.00', regions: ['440100', '350300'],
  evidence: [
    { cases: ['CASE000012', 'CASE000345'], kind: 'phone', value: '+8617772123456', weight: 0.93 },
    { cases: ['CASE000012', 'CASE000345', 'CASE000400'], kind: 'money', value: '6222021234567890123', weight: 0.8 },
  ],
};

// A lead as dispatch::ToJson(StoredLead) writes it: the row's figures before any feedback.
const lead = (l: Omit<Lead, 'updated_at' | 'arrests' | 'solved' | 'recovered' | 'reason'>): Lead =>
  ({ updated_at: l.pushed_at, arrests: 0, solved: 0, recovered: '0.00', reason: '', ...l });

export const leads: Lead[] = [
  lead({ id: 1, batch: 1, batch_label: '450200-0001', jurisdiction: '450200', cases: ['C1', 'C2'], status: 'pushed', overdue: true,
    revision: 1, category: 'fake_goods_sale', pushed_at: '2020-02-09T08:00:00+08:00', deadline: '2020-02-12T08:00:00+08:00',
    jurisdiction_detail: { code: '450200', name: '柳州市', score: 3, total: 3, basis: 'phone +8613507721234 is registered in 柳州市 (450200)',
      signals: [{ kind: 'phone', value: '+8613507721234', region: '450200', weight: 3, explanation: 'phone +8613507721234 is registered in 柳州市 (450200)' }],
      disagreement: [] } }),
  lead({ id: 2, batch: 1, batch_label: '450200-0001', jurisdiction: '450200', cases: ['C3'], status: 'accepted', overdue: false,
    revision: 1, category: 'loan', pushed_at: '2020-02-09T08:00:00+08:00', deadline: '2020-02-12T08:00:00+08:00' }),
  lead({ id: 3, batch: 2, batch_label: '350300-0001', jurisdiction: '350300', cases: ['C4'], status: 'pushed', overdue: false,
    revision: 1, category: 'romance', pushed_at: '2020-02-10T08:00:00+08:00', deadline: '2020-02-13T08:00:00+08:00' }),
  lead({ id: 4, batch: 3, batch_label: '999900-0001', jurisdiction: '999900', cases: ['C5'], status: 'pushed', overdue: false,
    revision: 1, category: 'other', pushed_at: '2020-02-10T08:00:00+08:00', deadline: '2020-02-13T08:00:00+08:00' }),
];
