// The JSON shapes of docs/API.md (and TRACING.md / LINKING.md for traces and links).
export interface User { name: string; role: string; region: string; institution: string }
// token: for API clients; csrf: for the dashboard's cookie session (`cookie: true`).
export interface LoginAnswer { token?: string; csrf?: string; expires_at: string; user: User }

export interface Held { account: string; amount: string; hops: number; first_tainted_at: string }
export interface Exit { account: string; kind: string; amount: string; hops: number }
export interface Flow { transfer: string; from: string; to: string; amount: string; hops: number; time?: string }
export interface Trace {
  case?: string; policy: string; seed: string; until?: string; max_hops?: number;
  held: Held[]; exits: Exit[]; dust: string; flows: Flow[];
  // Only when asked with flows_limit: a summary whose flows are the largest, and what was left out.
  flows_limit?: number; flows_omitted?: { count: number; amount: string };
}

export interface PlanItem {
  account: string; institution: string; region: string; amount: string; hops: number;
  first_tainted_at: string; minutes_per_hop: number; urgency: string;
}
export interface FreezePlan { case: string; policy: string; seed: string; to_freeze: string; accounts: PlanItem[] }
export interface FreezeOrder {
  id: number; case: string; account: string; institution: string; amount: string; frozen: string;
  status: string; reason: string; policy?: string; created_at: string; updated_at: string; created?: boolean;
  // Orders as the law has them: stop_payment (止付), freeze (冻结), release (解冻), with their clock.
  kind?: string; holder?: string; document?: string; deadline?: string | null; executed_at?: string | null;
  renewals?: number; renewal_pending?: number; expired_at?: string | null; releases?: number | null;
}

export interface Evidence { kind: string; value: string; cases: string[]; weight: number }
export interface Cluster { id: string; cases: string[]; loss: string; regions: string[]; evidence: Evidence[] }
export interface Hub { kind: string; value: string; cases: number }
export interface LinkAnswer { clusters: Cluster[]; hubs: Hub[] }

export interface CaseSummary { id: string; reported_at: string; region: string; category: string; loss: string; transfers: number }

export interface WarningRow {
  id: string; revision: number; person: string; region: string; score: number; last_event_at: string;
  warning: { reasons?: string[]; category?: string; paid?: string; events?: string[] };
}

export interface Lead {
  id: number; batch: number; batch_label: string; jurisdiction: string; cases: string[]; status: string;
  overdue: boolean; revision: number; category: string; pushed_at: string; deadline?: string; deadline_at?: string;
  updated_at?: string; arrests?: number; solved?: number; recovered?: string; loss?: string; held?: string; frozen?: string;
  // dispatch::ToJson(StoredLead) names the lead's jurisdiction decision `jurisdiction_detail`.
  jurisdiction_detail?: { code: string; name: string; basis?: string };
  body?: { loss?: string; held?: string; jurisdiction?: { code: string; name: string; basis?: string } };
}

// GET /api/stats: the document of `fanzha stats --json` (app/stats.h).
export interface Stats {
  accounts: number; transfers: number; cases: number; identifiers: number;
  transfer_volume: string; first_transfer?: string; last_transfer?: string;
  accounts_by_kind: Record<string, number>; accounts_only_in_transfers: number;
  identifiers_by_type: Record<string, number>; transfers_in_other_currencies?: Record<string, number>;
  statement_postings: number;
  link: { linked_cases: number; clusters: number };
  freeze: { orders: number; frozen: string; returned: string };
  freeze_orders: Record<string, number>;
  warnings: Record<string, number | string>;
  leads: Record<string, number | string>;
  takedowns: Record<string, number>;
}

// Figures by day, city or fraud type (GET /api/stats/breakdown): one row per key.
export interface FigureRow {
  key: string; name?: string; cases: number; linked: number; loss: string; frozen: string; returned: string;
  leads_pushed: number; leads_answered: number; leads_overdue: number; arrests: number; solved: number;
  warnings: number; takedowns: number;
}
export interface Breakdown { by: string; region: string; rows: FigureRow[] }
export interface DailyFigures { day: string; region: string; figures: FigureRow; to_date: FigureRow; html: string }

export interface Takedown {
  id: number; kind: string; value: string; platform: string; state: string; reason: string; lead: number;
  cases: string[]; category: string; region: string; created_at: string; updated_at: string;
}
