/**
 * What a contract slice is made of: method specs (arguments, result, who may call) and the slice that groups them
 * under the method-name prefixes it owns. Every slice file in common/api/ builds on these; common/api/index.ts
 * merges the slices into the one map the dispatcher, the preload and the renderer's client use.
 */
import { z } from 'zod';
import type { Role } from '../roles';

/** `public`: callable before login (only login itself); `staff`: any logged-in role; or a list of roles. */
export type Access = 'public' | 'staff' | readonly Role[];

export interface MethodSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  access: Access;
  args: A;
  result: R;
}

export function method<A extends z.ZodType, R extends z.ZodType>(spec: MethodSpec<A, R>): MethodSpec<A, R> {
  return spec;
}

/**
 * One domain's part of the contract. `prefixes` are the `prefix` parts of its `prefix.verb` method names: every
 * method of the slice starts with one of them and no other slice owns them, so a method's name tells its file
 * (checked when the slices are merged, see common/api/index.ts, and by test/unit/common/api/contract.test.ts).
 */
export interface ApiSlice<P extends string = string, M extends Record<string, MethodSpec> = Record<string, MethodSpec>> {
  readonly prefixes: readonly P[];
  readonly methods: M;
}

export function defineSlice<const P extends string, M extends Record<string, MethodSpec>>(
  prefixes: readonly P[],
  methods: M,
): ApiSlice<P, M> {
  return { prefixes, methods };
}

/** Arguments of a method that takes none. */
export const none = z.object({}).strict();
/** Result of a method that only acknowledges. */
export const okResult = z.object({ ok: z.literal(true) });
