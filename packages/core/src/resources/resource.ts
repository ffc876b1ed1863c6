import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { z } from 'zod';
import { CoreError } from '../errors.ts';
import { userCode } from '../execution/user-code.ts';

/**
 * A resource: something assets use that needs configuration and a lifecycle (a database pool, an
 * API client). Its configuration comes from `resources.<name>` in strata.yaml, validated by
 * `schema`; `create` builds the value given to assets as `ctx.resources.<name>`; `dispose` runs
 * when the project closes.
 */
export interface ResourceDefinition<S extends z.ZodType = z.ZodType, T = unknown> {
  readonly name: string;
  readonly schema: S;
  create(config: z.infer<S>): T | Promise<T>;
  dispose?(value: T): void | Promise<void>;
}

/** Identity helper for typed resources. */
export function defineResource<S extends z.ZodType, T>(def: ResourceDefinition<S, T>): ResourceDefinition<S, T> {
  return def;
}

function isResourceDefinition(x: unknown): x is ResourceDefinition {
  const r = x as ResourceDefinition | undefined;
  return !!r && typeof r === 'object' && typeof r.name === 'string' && typeof r.create === 'function' && typeof r.schema === 'object';
}

/** Resources built for a project, with what disposes them. */
export interface BuiltResources {
  readonly values: Record<string, unknown>;
  dispose(): Promise<void>;
}

/**
 * Loads resource modules, validates each resource's configuration and creates it. Plain values in
 * `resources:` without a definition are passed through as they are.
 */
export async function buildResources(modules: readonly string[], config: Readonly<Record<string, unknown>>, projectDir: string): Promise<BuiltResources> {
  const defs: ResourceDefinition[] = [];
  for (const spec of modules) {
    const target = spec.startsWith('.') || isAbsolute(spec) ? pathToFileURL(isAbsolute(spec) ? spec : join(projectDir, spec)).href : spec;
    let mod: Record<string, unknown>;
    try {
      mod = (await import(target)) as Record<string, unknown>;
    } catch (e) {
      throw new CoreError('CORE_INVALID_CONFIG', `strata.yaml: resourceModules: cannot load "${spec}": ${(e as Error).message}`, { cause: e });
    }
    defs.push(...Object.values(mod).filter(isResourceDefinition));
  }
  const values: Record<string, unknown> = { ...config };
  const created: { def: ResourceDefinition; value: unknown }[] = [];
  try {
    for (const def of defs) {
      const parsed = def.schema.safeParse(config[def.name] ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CoreError('CORE_INVALID_CONFIG', `strata.yaml: resources.${[def.name, ...(issue?.path ?? [])].join('.')}: ${issue?.message}`);
      }
      const value = await userCode(`resource ${def.name}`, 'create', () => def.create(parsed.data));
      values[def.name] = value;
      created.push({ def, value });
    }
  } catch (e) {
    await disposeAll(created);
    throw e;
  }
  return { values, dispose: () => disposeAll(created) };
}

async function disposeAll(created: readonly { def: ResourceDefinition; value: unknown }[]): Promise<void> {
  for (const { def, value } of [...created].reverse()) {
    if (def.dispose) await userCode(`resource ${def.name}`, 'dispose', () => def.dispose?.(value));
  }
}
