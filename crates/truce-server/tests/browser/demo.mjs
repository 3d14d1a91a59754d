// The dashboard over the store `truce demo` fills (the shipped 2025 agreements, the project's
// example reports and the seed texts): the seed events are on the map, clicking one shows its
// evidence, filtering by agreement works. Prints "ok: all checks passed" when every check holds.
import { chromium } from 'playwright-core';

const url = process.env.TRUCE_URL;
const shots = process.env.TRUCE_SCREENSHOTS || '';
if (!url) { console.error('TRUCE_URL is not set'); process.exit(2); }
function check(cond, what) {
  if (!cond) { throw new Error('check failed: ' + what); }
  console.log('ok: ' + what);
}

const browser = await chromium.launchPersistentContext(process.env.TRUCE_PROFILE || '', {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 1000 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 30000 });

  // The seed events (their sources are the seed texts) as the API lists them.
  const all = await page.evaluate(async () => {
    const r = await fetch('/api/v1/events?limit=1000');
    return (await r.json()).items;
  });
  const seeded = all.filter((e) => e.sources.some((s) => (s.source || '').includes('corpus/seeds')) && e.lat != null);
  check(seeded.length >= 2, `the demo holds located seed events (${seeded.length})`);
  for (const e of seeded) {
    check(await page.locator(`path.event-marker[data-event="${e.id}"]`).count() === 1, `seed event ${e.date} ${e.place} is on the map`);
  }
  const titles = await page.locator('#f-agreement option').allTextContents();
  check(titles.length >= 6, `the 2025 agreements are listed (${titles.length - 1})`);
  check(await page.locator('#windows li').count() >= 3, 'the timeline shades the agreements\' windows');

  // Clicking the Sumy strike shows its evidence.
  const sumy = seeded.find((e) => e.place === 'Sumy') || seeded[0];
  // Markers of one town stack; dispatch the click to this event's own marker, not the top one.
  await page.locator(`path.event-marker[data-event="${sumy.id}"]`).dispatchEvent('click');
  await page.waitForSelector('#panel blockquote.evidence');
  const quotes = await page.locator('#panel blockquote.evidence').allTextContents();
  check(quotes.length === sumy.sources.length && quotes.every((q) => q.trim().length > 0), `the panel quotes ${quotes.length} evidence sentences`);
  check(quotes.some((q) => sumy.sources.some((s) => s.evidence.text === q)), 'the quoted evidence is the source sentence');
  if (shots) await page.screenshot({ path: shots + '/demo-event.png' });

  // Filtering by the energy moratorium keeps only the events during it.
  const before = await page.locator('path.event-marker').count();
  await page.selectOption('#f-agreement', 'energy_moratorium_2025');
  await page.click('#filters button[type=submit]');
  await page.waitForSelector('body[data-ready="1"]');
  const after = await page.locator('path.event-marker').count();
  check(after > 0 && after < before, `the energy moratorium filter keeps ${after} of ${before} events`);
  const dates = await page.evaluate(async () => {
    const r = await fetch('/api/v1/events?agreement=energy_moratorium_2025&limit=1000');
    return (await r.json()).items.map((e) => e.date);
  });
  check(dates.every((d) => d >= '2025-03-18' && d <= '2025-04-18'), 'every event shown is inside the moratorium window');
  const tuapse = seeded.find((e) => e.place === 'Tuapse');
  if (tuapse) check(await page.locator(`path.event-marker[data-event="${tuapse.id}"]`).count() === 0, 'the Tuapse fire (14 March) predates the moratorium and is filtered out');
  if (shots) await page.screenshot({ path: shots + '/demo-filtered.png', fullPage: true });
  check(errors.length === 0, 'no script errors (' + errors.join(' | ') + ')');
  console.log('ok: all checks passed');
} catch (e) {
  failed = true;
  console.error(String(e && e.stack || e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
