import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { plantedBias } from '../fairness/planted';
import { run, spawnCli } from './helpers';

let dir: string;
beforeAll(() => {
  // A MovieLens 100K-shaped folder of the planted-bias data: the niche taste is coded as gender F.
  dir = mkdtempSync(join(tmpdir(), 'attune-audit-'));
  const data = plantedBias();
  const num = (id: string) => id.slice(1);
  writeFileSync(join(dir, 'u.data'), data.interactions.map((x) => `${num(x.user)}\t${num(x.item)}\t4\t${x.time}`).join('\n'));
  writeFileSync(
    join(dir, 'u.user'),
    [...(data.users ?? [])].map(([u, a]) => `${num(u)}|${a.taste === 'niche' ? 30 : 20}|${a.taste === 'niche' ? 'F' : 'M'}|other|00000`).join('\n'),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('attune audit', () => {
  it('--json prints the report and writes the Markdown page and its SVG plots', async () => {
    const out = join(dir, 'report');
    const report = JSON.parse(await run(['audit', '--data', dir, '--attribute', 'gender', '--model', 'pop', '--split', 'user', '--bootstrap', '20', '--out', out, '--json']));
    expect(report.mitigation).toBe('none');
    const gap = report.gaps.find((g: { metric: string }) => g.metric === 'ndcg');
    expect(gap).toMatchObject({ attribute: 'gender', worst: 'F', best: 'M' });
    expect(report.alerts.some((a: { alert: boolean }) => a.alert)).toBe(true);
    const md = readFileSync(join(out, 'audit.md'), 'utf8');
    expect(md).toContain('## By gender');
    expect(md).toContain('**ALERT**');
    for (const svg of ['ndcg-by-gender.svg', 'tailExposure-by-gender.svg', 'exposure-by-popularity.svg']) {
      expect(md).toContain(`](${svg})`);
      expect(readFileSync(join(out, svg), 'utf8')).toMatch(/^<svg [^>]*>[\s\S]*<rect [\s\S]*<\/svg>\n$/);
    }
  });

  it('refuses an unknown mitigation or attribute with a clear message', () => {
    const bad = spawnCli(['audit', '--data', dir, '--mitigation', 'magic']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--mitigation must be one of none, reweigh, rerank, calibrate');
    const unknown = spawnCli(['audit', '--data', dir, '--attribute', 'religion', '--model', 'pop', '--out', join(dir, 'x')]);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('unknown user attribute religion');
    expect(existsSync(join(dir, 'x'))).toBe(false);
  });
});
