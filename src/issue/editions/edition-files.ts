import { readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { GazetteError } from '../../errors.ts';
import { IssueError, loadIssue } from '../load.ts';
import type { Problem } from '../problem.ts';
import { type Issue, LOCALES, type Locale } from '../schema.ts';
import { editionIdProblems } from './edition-ids.ts';

/** One number in every language it was written in: the default edition first, then the others by file name. */
export interface Editions {
  editions: Issue[];
  /** The file of each edition, in the same order. */
  files: string[];
  /** Articles an edition leaves out (`article-missing`): allowed, but an editor should know. */
  warnings: Problem[];
}

/** `205.en.json` beside `205.json`: the edition's locale, or undefined for another file. */
function editionLocale(name: string, number: string): Locale | undefined {
  const match = /^(\d+)\.([a-z]{2})\.json$/.exec(name);
  if (match?.[1] !== number) return undefined;
  return LOCALES.find((l) => l === match[2]);
}

/** The edition files of issue `number` among the file names `names` (`205.en.json`…), sorted. */
export function editionFileNames(names: readonly string[], number: string): string[] {
  return names.filter((n) => editionLocale(n, number) !== undefined).sort();
}

/**
 * The cross-check of an edition against the default edition ("Editions" in docs/architecture.md):
 * the same number, its own locale, no article id the default edition lacks (errors, by path); an
 * article of the default edition it leaves out is a warning.
 */
export function checkEdition(base: Issue, edition: Issue): { errors: Problem[]; warnings: Problem[] } {
  const errors: Problem[] = [];
  if (edition.number !== base.number) {
    errors.push({
      path: 'number',
      code: 'edition-number',
      params: { number: base.number },
      message: `must be ${base.number}, the number of the default edition`,
    });
  }
  if (edition.locale === base.locale) {
    errors.push({
      path: 'locale',
      code: 'edition-locale',
      params: { locale: base.locale },
      message: `must differ from the default edition's locale "${base.locale}"`,
    });
  }
  const ids = editionIdProblems(base, edition);
  return { errors: [...errors, ...ids.errors], warnings: ids.warnings };
}

/**
 * Reads the default edition `file` (`issues/205.json`) and every `205.<locale>.json` beside it,
 * each validated as `gazette validate` does, then cross-checked (see checkEdition). `only` keeps
 * those locales (`send --editions ja,en`); the default edition is always first among the kept.
 * Throws IssueError naming the file of the first edition that fails.
 */
export async function loadEditions(
  file: string,
  opts: { checkImages?: boolean; only?: readonly Locale[] } = {},
): Promise<Editions> {
  const base = await loadIssue(file, opts);
  const number = basename(file).replace(/\.json$/, '');
  const names = /^\d+$/.test(number) ? await readdir(dirname(file)).catch(() => [] as string[]) : [];
  const siblings = editionFileNames(names, number).map((n) => join(dirname(file), n));
  const out: Editions = { editions: [base], files: [file], warnings: [] };
  for (const sibling of siblings) {
    const edition = await loadIssue(sibling, opts);
    const { errors, warnings } = checkEdition(base, edition);
    const inFile = (p: Problem): Problem => ({
      ...p,
      params: { ...p.params, file: sibling },
      message: `${sibling}: ${p.message}`,
    });
    if (errors.length > 0) throw new IssueError(sibling, errors.map(inFile));
    out.editions.push(edition);
    out.files.push(sibling);
    out.warnings.push(...warnings.map(inFile));
  }
  if (!opts.only) return out;
  const keep = out.editions.map((e) => opts.only?.includes(e.locale) ?? true);
  const missing = opts.only.filter((l) => !out.editions.some((e) => e.locale === l));
  if (missing.length > 0 || !keep.some(Boolean)) {
    throw new IssueError(file, [
      {
        path: '',
        code: 'edition-absent',
        params: { locales: missing.join(', ') },
        message: `no edition in ${missing.join(', ') || 'the locales asked for'} beside ${file} (found ${out.editions.map((e) => e.locale).join(', ')})`,
      },
    ]);
  }
  return {
    editions: out.editions.filter((_, i) => keep[i]),
    files: out.files.filter((_, i) => keep[i]),
    warnings: out.warnings,
  };
}

/** A comma-separated list of locales (`--editions ja,en`); throws on one Gazette has no chrome for. */
export function parseEditionList(value: string): Locale[] {
  return value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean)
    .map((l) => {
      const found = LOCALES.find((known) => known === l);
      if (!found)
        throw new GazetteError(`--editions: "${l}" is not a locale Gazette knows (${LOCALES.join(', ')}).`);
      return found;
    });
}
