/** An element of a parsed PostgreSQL array: its text, NULL, or a nested dimension. */
export type PgArrayElement = string | null | PgArrayElement[];

/**
 * Parses PostgreSQL's text form of an array (`{1,2,NULL}`, `{"a b","c\"d"}`, `{{1,2},{3,4}}`,
 * `[0:1]={1,2}`) into nested lists of element texts. `delimiter` is the element type's
 * (`,` for all but a few geometric types). Throws on malformed input.
 */
export function parsePgArray(text: string, delimiter = ','): PgArrayElement[] {
  // A non-default lower bound is written before the braces: `[0:1]={…}`; the bounds are dropped.
  const start = text.startsWith('[') ? text.indexOf('=') + 1 : 0;
  let i = start;
  const fail = (why: string): never => {
    throw new Error(`malformed array literal at ${i}: ${why}: ${text.length > 80 ? `${text.slice(0, 80)}…` : text}`);
  };

  const parseList = (): PgArrayElement[] => {
    if (text[i] !== '{') fail('expected {');
    i++;
    const items: PgArrayElement[] = [];
    if (text[i] === '}') {
      i++;
      return items;
    }
    for (;;) {
      items.push(parseElement());
      const c = text[i++];
      if (c === '}') return items;
      if (c !== delimiter) fail(`expected ${delimiter} or }`);
    }
  };

  const parseElement = (): PgArrayElement => {
    while (text[i] === ' ') i++;
    if (text[i] === '{') return parseList();
    if (text[i] === '"') {
      i++;
      let out = '';
      for (;;) {
        const c = text[i++];
        if (c === undefined) fail('unterminated quoted element');
        if (c === '"') break;
        out += c === '\\' ? (text[i++] ?? fail('dangling backslash')) : c;
      }
      while (text[i] === ' ') i++;
      return out;
    }
    let end = i;
    while (end < text.length && text[end] !== delimiter && text[end] !== '}') end++;
    const raw = text.slice(i, end).trim();
    i = end;
    if (raw === '') fail('empty element');
    return raw.toUpperCase() === 'NULL' ? null : raw;
  };

  const result = parseList();
  if (i !== text.length) fail('text after the closing brace');
  return result;
}
