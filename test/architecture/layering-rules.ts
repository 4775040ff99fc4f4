/**
 * The dependency directions of docs/architecture.md as data, and a checker over parsed source
 * files. Kept apart from the test so the checker itself can be tested on synthetic files.
 */

/** One source file: its path under `src/` (e.g. `storage/store.ts`), its import specifiers and its text. */
export interface SourceFile {
  path: string;
  imports: string[];
  text: string;
}

export interface Violation {
  file: string;
  rule: string;
  detail: string;
}

const DOMAIN = ['alerts', 'passwords', 'directory', 'operations'];

/** Folder → folders (or packages) it must not import, and why. */
export const IMPORT_RULES: ReadonlyArray<{ from: readonly string[]; forbidden: readonly string[]; why: string }> = [
  {
    from: ['storage'],
    forbidden: ['graph', 'identity', 'alerts', 'passwords', 'console', 'control', 'http', 'ops', 'fastify'],
    why: 'storage holds SQL only: no domain rules, no wire',
  },
  { from: ['identity'], forbidden: ['graph', 'console', 'control'], why: 'identity throws its own errors; wires map them' },
  { from: DOMAIN, forbidden: ['graph', 'console', 'control', 'http', 'ops', 'fastify'], why: 'domain code knows no HTTP' },
  {
    from: ['shared'],
    forbidden: ['graph', 'console', 'control', 'http', 'identity', 'alerts', 'passwords', 'fastify'],
    why: 'shared code depends on nothing above it',
  },
];

/**
 * The seams a forbidden direction may still cross, each one named in docs/architecture.md: an
 * operation's start asks the control API whether a rule shapes it (`planOperation`), and a
 * tenant fixture's `rules` are validated by the control API's own rule validation.
 */
export const SANCTIONED_SEAMS: readonly string[] = [
  'control/operation-plans.js',
  'control/rules/rule-common.js',
  'control/rules/rule-error.js',
];

const resolvedPath = (file: string, specifier: string): string => {
  const stack = file.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') stack.pop();
    else if (part !== '.') stack.push(part);
  }
  return stack.join('/');
};

/** Folders that must reach the database through repositories only (no SQL text, no `*.sql` client). */
export const NO_SQL_FOLDERS: readonly string[] = ['graph', 'console', 'control', 'http', 'ops', 'identity', ...DOMAIN];

const SQL_CLIENT = /\b(?:store|tx|deps\.store|this\.store)\.sql\b/;
const SQL_TEXT = /`\s*(?:SELECT\s[\s\S]*?\sFROM|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM)\b/i;
const SQL_DRIVERS = ['pg', 'better-sqlite3'];

const topFolder = (path: string): string => path.split('/')[0]!;

/** Where an import specifier of `file` points: a `src/` top folder, or a package name. */
export function targetOf(file: string, specifier: string): string {
  if (!specifier.startsWith('.')) {
    const parts = specifier.split('/');
    return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
  }
  const stack = file.split('/').slice(0, -1);
  for (const part of specifier.split('/')) {
    if (part === '..') stack.pop();
    else if (part !== '.') stack.push(part);
  }
  // `../app.js` from a top folder leaves a file at the root of src/.
  return stack.length > 1 ? stack[0]! : `${stack[0]}`;
}

/** Every import or export specifier in a TypeScript source (static and dynamic). */
export function importsOf(text: string): string[] {
  const found: string[] = [];
  const patterns = [/\b(?:import|export)\s[^'";]*?\sfrom\s+'([^']+)'/g, /\bimport\s+'([^']+)'/g, /\bimport\(\s*'([^']+)'\s*\)/g];
  for (const pattern of patterns) for (const m of text.matchAll(pattern)) found.push(m[1]!);
  return found;
}

export function checkLayering(files: readonly SourceFile[]): Violation[] {
  const violations: Violation[] = [];
  for (const file of files) {
    const folder = topFolder(file.path);
    for (const rule of IMPORT_RULES) {
      if (!rule.from.includes(folder)) continue;
      for (const specifier of file.imports) {
        const target = targetOf(file.path, specifier);
        const seam = specifier.startsWith('.') && SANCTIONED_SEAMS.includes(resolvedPath(file.path, specifier));
        if (target !== folder && rule.forbidden.includes(target) && !seam) {
          violations.push({ file: file.path, rule: `${folder} ↛ ${target}`, detail: `imports '${specifier}' (${rule.why})` });
        }
      }
    }
    if (NO_SQL_FOLDERS.includes(folder)) {
      if (SQL_CLIENT.test(file.text))
        violations.push({ file: file.path, rule: `${folder} ↛ SQL`, detail: 'uses a raw SQL client; add a repository method' });
      if (SQL_TEXT.test(file.text))
        violations.push({ file: file.path, rule: `${folder} ↛ SQL`, detail: 'holds SQL text; move it into a repository' });
      for (const specifier of file.imports) {
        if (SQL_DRIVERS.includes(targetOf(file.path, specifier))) {
          violations.push({ file: file.path, rule: `${folder} ↛ SQL`, detail: `imports the driver '${specifier}'` });
        }
      }
    }
  }
  return violations;
}
