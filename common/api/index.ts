/**
 * The one API contract between the renderer and the main process, merged from one slice per domain.
 *
 * Each method is `prefix.verb` with zod schemas for its arguments and result and the roles that may call it.
 * The preload exposes exactly these names; electron/ipc.ts and electron/webhost.ts validate with the same schemas
 * through one dispatcher (electron/services/dispatcher.ts), which also enforces `access`.
 *
 * Where a method lives: its prefix names the slice that owns it. The slice's file is common/api/<slice>.ts and its
 * handlers are electron/services/handlers/<slice>.ts (same name). A prefix has a slice of its own name (in
 * kebab-case: homeVisits.* is home-visits.ts) unless it belongs to one of these four:
 *   org.*  staff.*                                                admin.ts
 *   regulations.*  calendar.*  requests.*  deadlines.*  survey.*  workflow.ts
 *   registers.*  certificates.*  hiv.*                            dispensary.ts
 *   prices.*  cash.*                                              cash.ts
 * Each slice declares its prefixes (common/api/slices.ts lists the slices); merging below refuses, as a type
 * error, a method in two slices, a method outside its slice's prefixes and a prefix owned by two slices.
 *
 * Where schemas live (one rule): the domain's data shapes stay in common/<domain>.ts (schemas.ts, desk.ts,
 * workflow.ts, dispensary.ts), shared with services and screens, and slices import them; a schema written only
 * for the contract lives in the slice that uses it (exported from there when another slice needs it too, as the
 * signing slice's key source is by the certificate and e-request slices).
 *
 * Adding a method is one entry in its slice and one handler in the handler map of the same name.
 */
import type { z } from 'zod';
import { API_SLICES } from './slices';
import type { ApiSlice, MethodSpec } from './spec';

export type { Access, MethodSpec } from './spec';
export { certificateInfoSchema, signingSourceSchema } from './signing';
export type { SyncIssue, SyncStatus } from './sync';

type SliceMap = Record<string, ApiSlice>;
type MethodOf<S extends SliceMap> = { [K in keyof S]: keyof S[K]['methods'] & string }[keyof S];
type SpecOf<S extends SliceMap, M extends string> = {
  [K in keyof S]: M extends keyof S[K]['methods'] ? S[K]['methods'][M] : never;
}[keyof S];
type Merged<S extends SliceMap> = { readonly [M in MethodOf<S>]: SpecOf<S, M> };

/** Names found in a slice and in another one. */
type InTwoSlices<S extends SliceMap, Part extends 'methods' | 'prefixes'> = {
  [K in keyof S]: PartOf<S[K], Part> & { [J in Exclude<keyof S, K>]: PartOf<S[J], Part> }[Exclude<keyof S, K>];
}[keyof S];
type PartOf<T extends ApiSlice, Part extends 'methods' | 'prefixes'> = Part extends 'methods' ? keyof T['methods'] : T['prefixes'][number];
type OutsideItsPrefixes<S extends SliceMap> = {
  [K in keyof S]: Exclude<keyof S[K]['methods'], `${S[K]['prefixes'][number]}.${string}`>;
}[keyof S];
/** `unknown` when the slices fit together; otherwise a property the slices lack, named after what is wrong. */
type Refusals<S extends SliceMap> = ([InTwoSlices<S, 'methods'>] extends [never]
  ? unknown
  : { 'API methods in two slices': InTwoSlices<S, 'methods'> }) &
  ([OutsideItsPrefixes<S>] extends [never] ? unknown : { 'API methods outside their slice prefixes': OutsideItsPrefixes<S> }) &
  ([InTwoSlices<S, 'prefixes'>] extends [never] ? unknown : { 'API method prefixes owned by two slices': InTwoSlices<S, 'prefixes'> });

function mergeSlices<S extends SliceMap>(slices: S & Refusals<S>): Merged<S> {
  const merged: Record<string, MethodSpec> = {};
  for (const [name, slice] of Object.entries(slices)) {
    for (const [method, spec] of Object.entries(slice.methods)) {
      if (Object.hasOwn(merged, method)) throw new Error(`API method ${method} is in two slices (one of them common/api/${name}.ts)`);
      merged[method] = spec;
    }
  }
  return merged as Merged<S>;
}

export const api = mergeSlices(API_SLICES);

export type Api = typeof api;
export type ApiMethod = keyof Api;
export type ApiArgs<M extends ApiMethod> = z.input<Api[M]['args']>;
export type ApiParsedArgs<M extends ApiMethod> = z.output<Api[M]['args']>;
export type ApiResult<M extends ApiMethod> = z.output<Api[M]['result']>;

export const API_METHODS = Object.keys(api) as ApiMethod[];

export function isApiMethod(name: unknown): name is ApiMethod {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(api, name);
}
