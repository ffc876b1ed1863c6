import { z } from 'zod';
import { parseYamlWith } from '../project/config.ts';

/** One entry of a `tests:`/`data_tests:` list: `unique`, or `{ accepted_values: { values: [...] } }`. */
export type TestEntry = string | Record<string, unknown>;

const TESTS = z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).nullish();
const CONFIG = z.record(z.string(), z.unknown()).nullish();

const ColumnSchema = z
  .object({
    name: z.string(),
    description: z.string().nullish(),
    quote: z.boolean().nullish(),
    tests: TESTS,
    data_tests: TESTS,
  })
  .passthrough();

const NodeSchema = z
  .object({
    name: z.string(),
    description: z.string().nullish(),
    config: CONFIG,
    columns: z.array(ColumnSchema).nullish(),
    tests: TESTS,
    data_tests: TESTS,
  })
  .passthrough();

const SourceTableSchema = NodeSchema.extend({
  identifier: z.string().nullish(),
  meta: z.record(z.string(), z.unknown()).nullish(),
});

const SourceSchema = z
  .object({
    name: z.string(),
    description: z.string().nullish(),
    database: z.string().nullish(),
    schema: z.string().nullish(),
    meta: z.record(z.string(), z.unknown()).nullish(),
    config: CONFIG,
    tables: z.array(SourceTableSchema).nullish(),
  })
  .passthrough();

/** A properties file (`schema.yml` and friends): models, seeds and sources with their columns and tests. */
export const PropertiesFileSchema = z
  .object({
    version: z.unknown().optional(),
    models: z.array(NodeSchema).nullish(),
    seeds: z.array(NodeSchema).nullish(),
    sources: z.array(SourceSchema).nullish(),
  })
  .passthrough();

export type NodeProperties = z.infer<typeof NodeSchema>;
export type SourceProperties = z.infer<typeof SourceSchema>;
export type SourceTableProperties = z.infer<typeof SourceTableSchema>;

/** A node's tests, from both the `tests:` and the newer `data_tests:` key. */
export function testsOf(x: { tests?: TestEntry[] | null; data_tests?: TestEntry[] | null }): TestEntry[] {
  return [...(x.tests ?? []), ...(x.data_tests ?? [])];
}

/** The properties declared in a set of YAML files, by name; a name declared twice is an error of dbt's. */
export interface Properties {
  readonly models: ReadonlyMap<string, NodeProperties & { file: string }>;
  readonly seeds: ReadonlyMap<string, NodeProperties & { file: string }>;
  readonly sources: readonly (SourceProperties & { file: string })[];
}

/** Parses properties files; a mistake names the file and the line. */
export function parseProperties(files: readonly { file: string; text: string }[]): Properties {
  const models = new Map<string, NodeProperties & { file: string }>();
  const seeds = new Map<string, NodeProperties & { file: string }>();
  const sources: (SourceProperties & { file: string })[] = [];
  for (const { file, text } of files) {
    const parsed = parseYamlWith(PropertiesFileSchema, text, file, (raw) => raw ?? {});
    for (const m of parsed.models ?? []) models.set(m.name, { ...m, file });
    for (const s of parsed.seeds ?? []) seeds.set(s.name, { ...s, file });
    for (const s of parsed.sources ?? []) sources.push({ ...s, file });
  }
  return { models, seeds, sources };
}

/** `{% docs name %}…{% enddocs %}` blocks of Markdown files, for `{{ doc('name') }}` in descriptions. */
export function parseDocBlocks(texts: readonly string[]): Map<string, string> {
  const docs = new Map<string, string>();
  for (const text of texts) {
    for (const m of text.matchAll(/\{%-?\s*docs\s+([A-Za-z_][A-Za-z0-9_]*)\s*-?%\}([\s\S]*?)\{%-?\s*enddocs\s*-?%\}/g)) {
      docs.set(m[1] as string, (m[2] as string).trim());
    }
  }
  return docs;
}

/** A description with its `{{ doc('name') }}` references replaced by the docs blocks. */
export function renderDescription(description: string | null | undefined, docs: ReadonlyMap<string, string>): string | undefined {
  if (!description) return undefined;
  return description.replace(/\{\{\s*doc\(\s*['"]([^'"]+)['"]\s*\)\s*\}\}/g, (whole, name: string) => docs.get(name) ?? whole);
}
