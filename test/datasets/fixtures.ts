/** Writes small data folders into a temp dir for the loader and CLI tests (no real data is committed). */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A temp folder holding `files` (name → content, written as `encoding`); `cleanup` removes it. */
export function folder(files: Record<string, string | Buffer>): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'attune-data-'));
  mkdirSync(dir, { recursive: true });
  for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A u.item line with the given genre flag positions set. */
export function uItemLine(id: number, title: string, genres: number[]): string {
  const flags = Array.from({ length: 19 }, (_, g) => (genres.includes(g) ? '1' : '0'));
  return [id, title, '01-Jan-1995', '', 'http://example.org', ...flags].join('|');
}
