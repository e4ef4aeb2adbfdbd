import { existsSync, mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { Counter, Registry } from 'prom-client';
import { createAttune } from '../../../index';
import { parseApiKeys } from '../../../adapters/http/api-keys';
import { createDashboard, type Dashboard } from '../../../adapters/http/dashboard/dashboard';
import { DASHBOARD_CSP } from '../../../adapters/http/dashboard/route';
import { createServer, listen } from '../../../adapters/http/server';
import type { Attune } from '../../../src/engine/attune';
import type { AttuneEvent, EventType } from '../../../src/core/event';
import { MemoryStore } from '../../../src/store/memory';
import { smallCatalog } from '../../support/catalog';
import { until } from '../../support/until';
import { auditResult, auditResults, gapVerdicts, runAudit } from '../../../src/fairness';
import { plantedBias } from '../../fairness/planted';

/*
 * The dashboard end to end: a real server on port 0 over a seeded memory store and a
 * Registry holding the metric names /metrics uses, read by headless Chromium (Debian's
 * package, which .ci/run installs). What the page shows must be what was planted.
 */

const CHROMIUM = '/usr/bin/chromium';
const ADMIN = 'admin-key-0123456789abcdef';
const READ = 'read-key-0123456789abcdef';
const SHOTS = path.join(__dirname, '..', '..', '..', 'test-results');

/** Planted events in the last hour, by type (Segment Entered/Exited come on top, as track). */
const PLANTED: Record<EventType, number> = { track: 7, identify: 3, page: 2, screen: 1, alias: 0, group: 1 };
const ENTERED = { vip: 4, lapsed: 1 };
const EXITED = { vip: 1 };
/** Exposed users and, of them, buyers per variant of the planted experiment. */
const EXPOSED: [variant: string, users: number, orders: number][] = [
  ['popular', 6, 1],
  ['personalized', 6, 4],
];
const EXPERIMENT = { id: 'recs-policy', variants: [{ id: 'popular' }, { id: 'personalized' }], metrics: { primary: [{ kind: 'conversion' as const }] } };

let now = Date.parse('2026-03-02T12:30:20Z');
const clock = () => now;

function event(n: number, type: EventType, minutesAgo: number, extra: Partial<AttuneEvent> = {}): AttuneEvent {
  const at = new Date(now - minutesAgo * 60_000).toISOString();
  return { type, messageId: `seed-${type}-${n}-${minutesAgo}`, userId: `user-${n % 5}`, properties: {}, traits: {}, context: {}, timestamp: at, receivedAt: at, ...extra };
}

/** The planted log: events spread over the last hour, and older ones that must not count. */
function seedEvents(): AttuneEvent[] {
  const events: AttuneEvent[] = [];
  for (let i = 0; i < 10; i++) events.push(event(i, 'track', 90 + i)); // before the window
  for (const [type, n] of Object.entries(PLANTED) as [EventType, number][]) for (let i = 0; i < n; i++) events.push(event(i, type, (i * 7) % 55));
  const flow = (name: string, counts: Record<string, number>) => {
    for (const [segment, n] of Object.entries(counts)) for (let i = 0; i < n; i++) events.push(event(i, 'track', 3 + i, { event: name, properties: { segment }, messageId: `${name}-${segment}-${i}` }));
  };
  flow('Segment Entered', ENTERED);
  flow('Segment Exited', EXITED);
  // An experiment's exposures and the orders after them (track events too).
  EXPOSED.forEach(([variant, users, orders]) => {
    for (let i = 0; i < users; i++) {
      const userId = `exp-${variant}-${i}`;
      events.push(event(i, 'track', 30, { userId, event: 'Experiment Viewed', properties: { experiment_id: 'recs-policy', variation_id: variant }, messageId: `exp-${variant}-${i}` }));
      if (i < orders) events.push(event(i, 'track', 20, { userId, event: 'Order Completed', properties: { revenue: 30 }, messageId: `order-${variant}-${i}` }));
    }
  });
  return events;
}

/** Counters of the metrics contract, with planted values. */
function seedRegistry(): { registry: Registry; shown: Counter<string> } {
  const registry = new Registry();
  const counter = (name: string, labelNames: string[]) => new Counter({ name, help: name, labelNames, registers: [registry] });
  const shown = counter('attune_recommendations_shown_total', ['policy']);
  const clicked = counter('attune_recommendations_clicked_total', ['policy']);
  shown.inc({ policy: 'popular' }, 25);
  shown.inc({ policy: 'als' }, 15);
  clicked.inc({ policy: 'popular' }, 4);
  clicked.inc({ policy: 'als' }, 6);
  const degraded = counter('attune_degraded_turns_total', ['reason']);
  degraded.inc({ reason: 'store' }, 2);
  degraded.inc({ reason: 'stage' }, 1);
  counter('attune_store_errors_total', ['op']).inc({ op: 'write' }, 3);
  const invalid = counter('attune_validation_failures_total', ['source']);
  invalid.inc({ source: 'rest' }, 5);
  invalid.inc({ source: 'segment' }, 2);
  counter('attune_duplicate_events_total', ['source']).inc({ source: 'rest' }, 4);
  // A metric of another kind under a name the dashboard does not read: ignored.
  counter('attune_turns_total', ['adapter', 'outcome']).inc({ adapter: 'http', outcome: 'ok' }, 9);
  return { registry, shown };
}

/** What the tests read of the page's globals (this file is compiled without the DOM's types). */
interface PageGlobals {
  document: { querySelector(selector: string): unknown };
  Chart: { getChart(canvas: unknown): { data: { datasets: { data: number[] }[] } } | undefined };
  sessionStorage: { length: number };
}

const chromiumThere = existsSync(CHROMIUM);
// Under CI the browser must be there (.ci/run installs it): a missing one fails, never skips.
const browserTest = chromiumThere || process.env.CI === 'true' ? test : test.skip;

describe('/dashboard', () => {
  let attune: Attune;
  let dashboard: Dashboard;
  let server: Server;
  let base: string;
  let shown: Counter<string>;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const store = new MemoryStore({ clock });
    attune = createAttune({ store, catalog: smallCatalog(), clock, idKeys: false, segments: [{ id: 'vip', rule: { field: 'revenue', op: 'gte', value: 500 } }, { id: 'lapsed', rule: { field: 'orders', op: 'eq', value: 0 } }], experiments: [EXPERIMENT] });
    await store.write({ events: seedEvents(), counters: [{ name: 'segments.members', increments: { vip: 3, lapsed: 6 } }] });
    // The latest fairness audit, on the planted bias: the niche taste is served worst.
    const audit = runAudit(plantedBias(), { model: 'pop', split: 'user', bootstrap: 0, seed: 3 });
    await auditResults(store).save(auditResult(audit, gapVerdicts(audit), new Date(now)));
    const seeded = seedRegistry();
    shown = seeded.shown;
    // The page asks again every 200 ms, so a change shows without a reload.
    dashboard = createDashboard(attune, { registry: seeded.registry, refreshMs: 200 });
    server = await listen(createServer(attune, { apiKeys: parseApiKeys(`${ADMIN}:admin,${READ}:read`), dashboard }), { port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await browser?.close();
    dashboard.close();
    await new Promise((resolve) => server.close(resolve));
    await attune.close();
  });

  it('serves its data to admin keys only: 401 without a key, 403 for a read key', async () => {
    const none = await fetch(`${base}/dashboard/data`);
    expect(none.status).toBe(401);
    expect(await none.json()).toMatchObject({ error: 'unauthenticated' });
    expect((await fetch(`${base}/dashboard/data`, { headers: { Authorization: `Bearer ${READ}` } })).status).toBe(403);
    const ok = await fetch(`${base}/dashboard/data`, { headers: { Authorization: `Bearer ${ADMIN}` } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    const body = (await ok.json()) as { panels: { id: string }[] };
    expect(body.panels.map((p) => p.id)).toEqual(['events', 'segments', 'recommendations', 'ctr', 'health', 'quality', 'experiments', 'experiment-allocation', 'fairness']);
  });

  it('serves the page, its script and Chart.js under a CSP of its own files only', async () => {
    const bare = await fetch(`${base}/dashboard`, { redirect: 'manual' });
    expect([bare.status, bare.headers.get('location')]).toEqual([301, 'dashboard/']);
    const page = await fetch(`${base}/dashboard/`);
    expect(page.headers.get('content-security-policy')).toBe(DASHBOARD_CSP);
    expect(await page.text()).toContain('<script src="app.js" defer></script>');
    const chart = await fetch(`${base}/dashboard/chart.js`);
    expect([chart.status, chart.headers.get('content-type')]).toEqual([200, 'text/javascript; charset=utf-8']);
    expect(await chart.text()).toContain('Chart');
  });

  browserTest('loads in headless Chromium, signs in, draws the charts and shows the seeded counts', async () => {
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-background-networking'] });
    const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
    const problems: string[] = [];
    const urls: string[] = [];
    page.on('console', (m) => void (m.type() === 'error' && problems.push(m.text())));
    page.on('pageerror', (e) => problems.push(e.message));
    page.on('request', (r) => urls.push(r.url()));

    await page.goto(`${base}/dashboard`);
    await page.locator('#login').waitFor({ state: 'visible' });
    await page.fill('#key', ADMIN);
    await page.click('#login button[type=submit]');
    await page.locator('#panel-quality table').waitFor();

    for (const id of ['events', 'segments', 'recommendations', 'health', 'quality', 'experiment-allocation']) expect(await page.locator(`#panel-${id} canvas`).count()).toBe(1);
    // The experiment: each variant's exposed users and conversion, the lift with its interval, the SRM badge.
    const experimentText = (await page.locator('#panel-experiments table').textContent()) ?? '';
    for (const text of ['recs-policy', 'conversion', 'popular', 'personalized', 'control', '[', 'ok (p']) expect(experimentText).toContain(text);
    expect(experimentText).toContain('0.167');
    expect(experimentText).toContain('0.667');
    // The fairness audit: each gap of the planted bias, worst group niche, over its threshold.
    await page.locator('#panel-fairness table').waitFor();
    const fairnessText = (await page.locator('#panel-fairness table').textContent()) ?? '';
    for (const text of ['latest audit', '2026-03-02T12:30:20.000Z', 'pop, 120 users', '4 alerting']) expect(fairnessText).toContain(text);
    const total = (panel: string, series: string) => page.locator(`#panel-${panel} [data-series="${series}"] dd`).textContent();
    const cell = (panel: string, row: string, column: string) => page.locator(`#panel-${panel} tr[data-row="${row}"] td[data-column="${column}"]`).textContent();

    // Events in the window by type: the planted ones, the segment flows as track, none of the older ones.
    const flows = Object.values(ENTERED).reduce((a, b) => a + b, 0) + Object.values(EXITED).reduce((a, b) => a + b, 0) + EXPOSED.reduce((a, [, users, orders]) => a + users + orders, 0);
    expect(await total('events', 'track')).toBe(String(PLANTED.track + flows));
    for (const type of ['identify', 'page', 'screen', 'alias', 'group'] as const) expect(await total('events', type)).toBe(String(PLANTED[type]));
    // Segments: members from the store's count, entries and exits from the log.
    expect([await cell('segments', 'vip', 'members'), await cell('segments', 'vip', 'entered'), await cell('segments', 'vip', 'exited')]).toEqual(['3', '4', '1']);
    expect([await cell('segments', 'lapsed', 'members'), await cell('segments', 'lapsed', 'entered'), await cell('segments', 'lapsed', 'exited')]).toEqual(['6', '1', '0']);
    expect([await cell('fairness', 'taste.ndcg', 'worst'), await cell('fairness', 'taste.ndcg', 'best'), await cell('fairness', 'taste.ndcg', 'state')]).toEqual(['niche', 'mainstream', 'ALERT']);
    // Recommendations and CTR.
    expect([await total('recommendations', 'shown'), await total('recommendations', 'clicked')]).toEqual(['40', '10']);
    expect([await cell('ctr', 'all', 'CTR'), await cell('ctr', 'popular', 'CTR'), await cell('ctr', 'als', 'CTR')]).toEqual(['25.0%', '16.0%', '40.0%']);
    // Degraded turns and store errors; data quality.
    expect([await total('health', 'degraded: store'), await total('health', 'degraded: stage'), await total('health', 'store errors')]).toEqual(['2', '1', '3']);
    expect([await cell('quality', 'rest', 'validation failures'), await cell('quality', 'segment', 'validation failures'), await cell('quality', 'rest', 'duplicates')]).toEqual(['5', '2', '4']);

    // Over time: the page asks again on its own and shows what changed since.
    now += 15_000;
    shown.inc({ policy: 'popular' }, 5);
    await until('the page shows the new impressions', async () => (await total('recommendations', 'shown')) === '45');
    // The chart has a point for the interval, at the 5 impressions it saw. (A function, not a
    // string: the page's CSP refuses eval, which is how playwright runs strings.)
    const lastShown = await page.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return g.Chart.getChart(g.document.querySelector('#panel-recommendations canvas'))?.data.datasets[0].data.at(-1);
    });
    expect(lastShown).toBe(5);

    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SHOTS, 'dashboard.png'), fullPage: true });

    // The key went in a header, never in a URL; the page needed nothing from elsewhere, and the CSP refused nothing.
    expect(urls.filter((u) => u.includes(ADMIN))).toEqual([]);
    expect(urls.filter((u) => !u.startsWith(base))).toEqual([]);
    expect(problems).toEqual([]);

    // Signing out forgets the key.
    await page.click('#logout');
    await page.locator('#login').waitFor({ state: 'visible' });
    expect(await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.length)).toBe(0);
  });
});
