import type { z } from 'zod';
import type { Engine } from '@strata/delta';
import type { AssetDefinition, ResolvedAsset } from '../definitions/asset.ts';

/** Where a component's YAML file sits, and what it may use to build its assets. */
export interface ComponentContext {
  /** The YAML file (for messages). */
  readonly file: string;
  readonly domain: string;
  /** The layer folder the file is in. */
  readonly layer: string;
  /** The file name without extension: the default asset name. */
  readonly name: string;
  readonly layers: readonly string[];
  readonly projectDir: string;
  readonly engine: Engine;
}

/**
 * A reusable, documented building block: a zod schema for its YAML (the single source of its
 * validation messages and JSON Schema) and a function from validated YAML to asset definitions.
 * Teams publish their own in a package and list it under `components:` in strata.yaml.
 */
export interface ComponentDefinition<S extends z.ZodType = z.ZodType> {
  /** The value of `component:` in YAML, e.g. `sql_model`. */
  readonly name: string;
  readonly description: string;
  readonly schema: S;
  build(config: z.infer<S>, ctx: ComponentContext): Promise<readonly (AssetDefinition | ResolvedAsset)[]> | readonly (AssetDefinition | ResolvedAsset)[];
}

/** Identity helper so a component's config type is inferred from its schema. */
export function defineComponent<S extends z.ZodType>(def: ComponentDefinition<S>): ComponentDefinition<S> {
  return def;
}

export function isComponentDefinition(x: unknown): x is ComponentDefinition {
  const c = x as ComponentDefinition | undefined;
  return !!c && typeof c === 'object' && typeof c.name === 'string' && typeof c.build === 'function' && typeof c.schema === 'object';
}
