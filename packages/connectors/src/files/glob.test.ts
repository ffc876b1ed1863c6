import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileGlobs, globToRegExp, staticPrefix } from './glob.ts';

const PATHS = [
  'a.csv',
  'b.json',
  '.hidden.csv',
  'data/x.csv',
  'data/y.CSV',
  'data/2024/01/z.csv',
  'data/2024/01/z.csv.gz',
  'data/.git/config.csv',
  'other/q1.csv',
  'other/q10.csv',
  'odd name (1).csv',
];

function matching(...patterns: string[]): string[] {
  const set = compileGlobs(patterns);
  return PATHS.filter((p) => set.matches(p));
}

describe('glob', () => {
  test('* stays within a segment, ** spans any number of folders, including none', () => {
    assert.deepEqual(matching('*.csv'), ['a.csv', 'odd name (1).csv']);
    assert.deepEqual(matching('**/*.csv'), ['a.csv', 'data/x.csv', 'data/2024/01/z.csv', 'other/q1.csv', 'other/q10.csv', 'odd name (1).csv']);
    assert.deepEqual(matching('data/**/*.csv'), ['data/x.csv', 'data/2024/01/z.csv']);
    assert.deepEqual(matching('data/**'), ['data/x.csv', 'data/y.CSV', 'data/2024/01/z.csv', 'data/2024/01/z.csv.gz']);
  });

  test('** alone matches every file but hidden ones', () => {
    assert.deepEqual(matching('**'), PATHS.filter((p) => !p.startsWith('.') && !p.includes('/.')));
  });

  test('? matches one character, {a,b} alternatives, [..] a class', () => {
    assert.deepEqual(matching('other/q?.csv'), ['other/q1.csv']);
    assert.deepEqual(matching('{a,b}.*'), ['a.csv', 'b.json']);
    assert.deepEqual(matching('**/*.{csv,csv.gz}'), ['a.csv', 'data/x.csv', 'data/2024/01/z.csv', 'data/2024/01/z.csv.gz', 'other/q1.csv', 'other/q10.csv', 'odd name (1).csv']);
    assert.deepEqual(matching('data/*.[cC][sS][vV]'), ['data/x.csv', 'data/y.CSV']);
    assert.deepEqual(matching('other/q[!1].csv'), []);
    assert.deepEqual(matching('{data/**/z.csv,other/*0.csv}'), ['data/2024/01/z.csv', 'other/q10.csv']);
  });

  test('regular-expression characters are literal', () => {
    assert.deepEqual(matching('odd name (1).csv'), ['odd name (1).csv']);
    assert.equal(globToRegExp('a.csv').test('abcsv'), false);
    assert.equal(globToRegExp('\\*.csv').test('*.csv'), true);
    assert.equal(globToRegExp('\\*.csv').test('a.csv'), false);
  });

  test('a pattern spelling the dot reaches hidden files', () => {
    assert.deepEqual(matching('.*.csv'), ['.hidden.csv']);
    assert.deepEqual(matching('data/.git/*'), ['data/.git/config.csv']);
  });

  test('several patterns: a file matching any of them', () => {
    assert.deepEqual(matching('*.json', 'other/*'), ['b.json', 'other/q1.csv', 'other/q10.csv']);
  });

  test('invalid patterns are refused with the reason', () => {
    assert.throws(() => globToRegExp('/abs/*.csv'), /relative to the location/);
    assert.throws(() => globToRegExp('../up/*.csv'), /inside the location/);
    assert.throws(() => globToRegExp('{a,b.csv'), /unclosed \{/);
  });

  test('listing prefixes are the literal leading folders, merged when one covers another', () => {
    assert.equal(staticPrefix('data/2024/*.csv'), 'data/2024/');
    assert.equal(staticPrefix('data/{a,b}/x.csv'), 'data/');
    assert.equal(staticPrefix('*.csv'), '');
    assert.deepEqual(compileGlobs(['data/2024/*.csv', 'data/*.csv', 'other/**']).prefixes, ['data/', 'other/']);
    assert.deepEqual(compileGlobs(['data/*.csv', '**/*.json']).prefixes, ['']);
  });
});
