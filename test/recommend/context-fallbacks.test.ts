import fc from 'fast-check';
import { createAttune } from '../../index';
import catalog from '../../examples/ecommerce/catalog.json';
import { daypartFor, daypartOf, isSmallScreen, timeZoneOfLocale } from '../../src/recommend/context';
import { explain } from '../../src/recommend/explain';
import { MemoryStore } from '../../src/store/memory';

// Berlin is UTC+1 in January: 07:00Z is 08:00 (morning), 19:00Z is 20:00 (evening).
const MORNING = '2026-01-15T07:00:00.000Z';
const EVENING = '2026-01-15T19:00:00.000Z';

describe('time of day in the user\'s zone', () => {
  it('remembers a zone\'s hour per quarter hour and still agrees with a fresh formatter at every instant', () => {
    // Zones with half- and quarter-hour offsets, and one whose daylight saving moves by 30 minutes.
    const zonesTried = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'America/St_Johns', 'Pacific/Chatham'];
    const fresh = (t: number, zone: string) => {
      const hour = Number(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: 'numeric', hourCycle: 'h23' }).formatToParts(t).find((p) => p.type === 'hour')?.value);
      return hour >= 5 && hour < 12 ? 'morning' : hour >= 12 && hour < 17 ? 'afternoon' : hour >= 17 && hour < 22 ? 'evening' : 'night';
    };
    // Instants near one another (the same quarter, its neighbours) as well as far apart, in any order.
    const base = Date.UTC(2026, 2, 28, 12);
    const instant = fc.oneof(fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) }), fc.integer({ min: -4 * 3_600_000, max: 4 * 3_600_000 }).map((d) => base + d));
    fc.assert(
      fc.property(fc.array(fc.tuple(instant, fc.constantFrom(...zonesTried)), { minLength: 1, maxLength: 40 }), (asks) => {
        for (const [t, zone] of asks) expect(daypartOf(t, zone)).toBe(fresh(t, zone));
      }),
      { numRuns: 200 },
    );
  });


  it('tells the part of the day from the zone, or from the locale\'s region', () => {
    expect(daypartOf(EVENING, 'Europe/Berlin')).toBe('evening');
    expect(daypartOf(EVENING, 'America/New_York')).toBe('afternoon');
    expect(daypartOf(MORNING, 'Asia/Tokyo')).toBe('afternoon');
    expect(daypartOf(MORNING, 'America/Los_Angeles')).toBe('night');
    expect(daypartOf(MORNING, 'Not/AZone')).toBeUndefined();
    expect(timeZoneOfLocale('de-DE')).toBe('Europe/Berlin');
    expect(timeZoneOfLocale('en')).toBeUndefined();
    expect(daypartFor(EVENING, { locale: 'fr-FR' })).toBe('evening');
    expect(daypartFor(EVENING, { timezone: 'Asia/Tokyo', locale: 'fr-FR' })).toBe('night');
  });

  it('explains in four languages', () => {
    expect(explain('popular:daypart=evening')).toBe('popular this evening');
    expect(explain('popular:daypart=morning', { language: 'de' })).toBe('heute Morgen beliebt');
    expect(explain('popular:daypart=afternoon', { language: 'fr' })).toBe('populaire cet après-midi');
    expect(explain('popular:daypart=bogus')).toBe('popular with other customers');
    expect(explain('popular:locale=de-DE')).toBe('popular in de-DE');
  });

  it('a newcomer gets what is popular at their time of day: evening picks in the evening, morning picks in the morning', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog, idKeys: false });
    // Planted: yoga is viewed in Berlin mornings, camping in Berlin evenings; overall, cycling beats both.
    const yoga = catalog.filter((i) => i.category === 'yoga').slice(0, 6);
    const camping = catalog.filter((i) => i.category === 'camping').slice(0, 6);
    const cycling = catalog.filter((i) => i.category === 'cycling').slice(0, 6);
    let n = 0;
    const view = (id: string, timestamp: string, timezone?: string) =>
      attune.track({ userId: `crowd-${n++ % 5}`, event: 'Product Viewed', properties: { product_id: id }, timestamp, ...(timezone ? { context: { timezone } } : {}) });
    for (const i of yoga) await view(i.id, MORNING, 'Europe/Berlin');
    for (const i of camping) await view(i.id, EVENING, 'Europe/Berlin');
    for (let r = 0; r < 3; r++) for (const i of cycling) await view(i.id, '2026-01-15T13:00:00.000Z');
    await attune.flush();
    await attune.recommendations.refreshPopularity();
    // The first turn in each daypart asks for its ranking; the snapshot then holds it.
    await attune.turn({ userId: 'warmup-e', timezone: 'Europe/Berlin', timestamp: EVENING, text: 'hi', reply: { text: 'x', recommend: true } });
    await attune.turn({ userId: 'warmup-m', timezone: 'Europe/Berlin', timestamp: MORNING, text: 'hi', reply: { text: 'x', recommend: true } });
    await attune.recommendations.refreshPopularity();

    const evening = await attune.turn({ userId: 'new-e', timezone: 'Europe/Berlin', timestamp: EVENING, text: 'hi', reply: { text: 'Ideas:', recommend: { k: 5 } } });
    const eveningRecs = evening.reply?.recommendations ?? [];
    expect(eveningRecs.length).toBe(5);
    // A newcomer's list holds at most half of k of one category: the evening's category leads it.
    const lead = (recs: typeof eveningRecs) => recs.slice(0, 3);
    expect(lead(eveningRecs).every((r) => r.item?.category === 'camping' && r.reason === 'popular:daypart=evening' && r.explanation === 'popular this evening')).toBe(true);
    const morning = await attune.turn({ userId: 'new-m', locale: 'de-DE', timestamp: MORNING, text: 'hallo', reply: { text: 'Ideen:', recommend: { k: 5 } } });
    expect(lead(morning.reply?.recommendations ?? []).every((r) => r.item?.category === 'yoga' && r.explanation === 'heute Morgen beliebt')).toBe(true);
    // Without a zone or a locale region, overall popularity.
    const nowhere = await attune.turn({ userId: 'new-x', timestamp: EVENING, text: 'hi', reply: { text: 'Ideas:', recommend: { k: 3 } } });
    expect(lead(nowhere.reply?.recommendations ?? []).every((r) => r.item?.category === 'cycling' && r.reason === 'popular')).toBe(true);
  });
});

describe('device', () => {
  it('names small screens', () => {
    for (const d of ['mobile', 'Phone', 'android', 'iOS']) expect(isSmallScreen(d)).toBe(true);
    for (const d of ['desktop', 'web', undefined]) expect(isSmallScreen(d)).toBe(false);
  });

  it('a phone gets a shorter list, whatever the bot asks for', async () => {
    const attune = createAttune({ store: new MemoryStore(), catalog });
    const phone = await attune.turn({ userId: 'p1', device: 'mobile', text: 'hi', reply: { text: 'Ideas:', recommend: { k: 5 } } });
    expect(phone.reply?.recommendations).toHaveLength(3);
    const desk = await attune.turn({ userId: 'd1', device: 'desktop', text: 'hi', reply: { text: 'Ideas:', recommend: { k: 5 } } });
    expect(desk.reply?.recommendations).toHaveLength(5);
  });
});
