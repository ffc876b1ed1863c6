import { readFile } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import type { ResolvedAsset } from '../definitions/asset.ts';
import { CoreError } from '../errors.ts';
import { interpolate, parseYamlWith } from '../project/config.ts';
import { resolveAsset } from '../project/resolve-asset.ts';
import type { ComponentContext, ComponentDefinition } from './component.ts';
import { isComponentDefinition } from './component.ts';
import { sqlModelComponent } from './sql-model-component.ts';

/** Components available to a project: built-in ones plus those its strata.yaml lists. */
export class ComponentRegistry {
  private readonly byName = new Map<string, ComponentDefinition>();

  constructor(components: readonly ComponentDefinition[] = BUILT_IN) {
    for (const c of components) this.register(c);
  }

  register(c: ComponentDefinition): void {
    if (this.byName.has(c.name)) throw new CoreError('CORE_INVALID_CONFIG', `component "${c.name}" is registered twice`);
    this.byName.set(c.name, c);
  }

  list(): ComponentDefinition[] {
    return [...this.byName.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The JSON Schema of a component's YAML (without the `component:` key). */
  jsonSchema(name: string): unknown {
    return z.toJSONSchema(this.get(name).schema, { io: 'input', unrepresentable: 'any' });
  }

  get(name: string): ComponentDefinition {
    const c = this.byName.get(name);
    if (!c) throw new CoreError('CORE_INVALID_DEFINITION', `unknown component "${name}"; available: ${[...this.byName.keys()].sort().join(', ')}`);
    return c;
  }

  /** Loads the modules strata.yaml lists (package names or project-relative paths) and registers their components. */
  async load(specifiers: readonly string[], projectDir: string): Promise<void> {
    for (const spec of specifiers) {
      const target = spec.startsWith('.') || isAbsolute(spec) ? pathToFileURL(isAbsolute(spec) ? spec : join(projectDir, spec)).href : spec;
      let mod: Record<string, unknown>;
      try {
        mod = (await import(target)) as Record<string, unknown>;
      } catch (e) {
        throw new CoreError('CORE_INVALID_CONFIG', `strata.yaml: components: cannot load "${spec}": ${(e as Error).message}`, { cause: e });
      }
      const found = Object.values(mod).flatMap((v) => (Array.isArray(v) ? v : [v])).filter(isComponentDefinition);
      if (found.length === 0) throw new CoreError('CORE_INVALID_CONFIG', `strata.yaml: components: "${spec}" exports no component (defineComponent)`);
      for (const c of found) this.register(c);
    }
  }

  /**
   * Builds the assets of a component YAML file: `component: <name>` plus the component's options,
   * validated by its schema; mistakes name the file, the line and the expected shape.
   */
  async buildFile(file: string, ctx: Omit<ComponentContext, 'file'>): Promise<ResolvedAsset[]> {
    const text = await readFile(file, 'utf8');
    const doc = parseDocument(text);
    const name = doc.get('component');
    if (typeof name !== 'string') throw new CoreError('CORE_INVALID_DEFINITION', `${file}: a component file needs "component: <name>"`);
    let component: ComponentDefinition;
    try {
      component = this.get(name);
    } catch (e) {
      throw new CoreError('CORE_INVALID_DEFINITION', `${file}: ${(e as Error).message}`);
    }
    const schema = z.object({ component: z.string() }).passthrough();
    const raw = parseYamlWith(schema, text, file);
    const { component: _omit, ...options } = raw;
    // Secrets come from the environment: `api_key: ${PARKS_API_KEY}`.
    const config = parseYamlWith(component.schema, text, file, () => interpolate(options, process.env, '', file));
    const built = await component.build(config, { ...ctx, file });
    return built.map((a) =>
      'kind' in a && 'layer' in a && 'domain' in a ? (a as ResolvedAsset) : { ...resolveAsset(a, ctx.domain, file), kind: name },
    );
  }
}

const BUILT_IN: readonly ComponentDefinition[] = [sqlModelComponent as unknown as ComponentDefinition];
