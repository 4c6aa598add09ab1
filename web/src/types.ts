// The JSON shapes of the server's answers, as the dashboard names them. Every one is taken from
// api.gen.ts, which `npm run gen:api` generates from server/openapi.json (the description the
// server serves at /api/openapi.json): a shape is never written by hand here, so an answer the
// dashboard reads differently from the description is a `tsc` error. When the server's JSON
// changes, change openapi.json and run `npm run gen:api` (test/api-gen.test.ts fails while the
// committed api.gen.ts is stale).
import type { components, paths } from './api.gen';

type Schemas = components['schemas'];

export type User = Schemas['User'];
// token: for API clients; csrf: for the dashboard's cookie session (`cookie: true`).
export type LoginAnswer = Schemas['Login'];

export type Trace = Schemas['Trace'];
export type Held = Trace['held'][number];
export type Exit = Trace['exits'][number];
export type Flow = Trace['flows'][number];

export type PlanItem = Schemas['PlanItem'];
export type FreezePlan = Schemas['Plan'];
// Orders as the law has them: stop_payment (止付), freeze (冻结), release (解冻), with their clock.
export type FreezeOrder = Schemas['Order'];
// A case's money followed through the banks (POST/GET /api/cases/{id}/federated-trace).
export type FederatedRun = Schemas['FederatedRun'];
export type CaseProcess = Schemas['CaseProcess'];
export type FederatedProgress = Schemas['FederatedProgress'];
export type FederatedGap = Schemas['FederatedGap'];

export type Evidence = Schemas['Evidence'];
export type Cluster = Schemas['Cluster'];
export type Hub = Schemas['Hub'];
export type LinkAnswer = Schemas['Links'];

export type CaseSummary = Schemas['CaseSummary'];
export type WarningRow = Schemas['Warning'];
export type Lead = Schemas['Lead'];

// GET /api/stats: the document of `fanzha stats --json` (app/stats.h).
export type Stats = Schemas['Stats'];

// Figures by day, city or fraud type (GET /api/stats/breakdown): one row per key.
export type FigureRow = Schemas['FigureRow'];
export type Breakdown = Schemas['Breakdown'];
export type DailyFigures = Schemas['DailyFigures'];

export type Takedown = Schemas['Takedown'];

// The JSON of a route's success (200 or 201) as openapi.json describes it, by the route's path as
// written there: Answer<'/api/freeze-orders/due'>, Answer<'/api/cases/{id}/takedowns', 'post'>.
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Success<O> = O extends { responses: infer R } ? Json<R[Extract<keyof R, 200 | 201>]> : never;
export type Answer<P extends keyof paths, M extends 'get' | 'post' = 'get'> = Success<paths[P][M]>;
