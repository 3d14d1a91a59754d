// The truce dashboard in real Chromium: events on the map, evidence on click, agreement filter,
// keyboard access, shareable URLs. Prints "ok: all checks passed" when every check holds.
import { chromium } from 'playwright-core';

const url = process.env.TRUCE_URL;
const shots = process.env.TRUCE_SCREENSHOTS || '';
if (!url) { console.error('TRUCE_URL is not set'); process.exit(2); }

function check(cond, what) {
  if (!cond) { throw new Error('check failed: ' + what); }
  console.log('ok: ' + what);
}

// A fresh profile directory per run (the Rust test makes a temporary one).
const browser = await chromium.launchPersistentContext(process.env.TRUCE_PROFILE || '', {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1280, height: 1100 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let failed = false;
try {
  const page = await browser.newPage();
  const offsite = [];
  const errors = [];
  page.on('request', (r) => { if (!r.url().startsWith(url) && !r.url().startsWith('data:')) offsite.push(r.url()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });

  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 20000 });
  const markers = await page.locator('path.event-marker').count();
  check(markers === 3, `the map shows the 3 events (found ${markers})`);
  const countries = await page.locator('.leaflet-overlay-pane path:not(.event-marker)').count();
  check(countries > 20, `the offline basemap and oblasts are drawn (${countries} shapes)`);
  check(await page.locator('path.verdict-violation_alleged').count() === 1, 'one marker is coloured as an alleged violation');
  check(await page.locator('.u-over').count() === 1, 'the timeline is drawn');
  const rows = await page.locator('#compliance tbody tr').count();
  check(rows >= 2, `the compliance table has a row per party (${rows})`);
  if (shots) await page.screenshot({ path: shots + '/dashboard.png', fullPage: true });

  // Clicking a marker shows every source's figures and the evidence sentences.
  await page.locator('path.event-marker[data-event="ev-sumy"]').click();
  await page.waitForSelector('#panel blockquote.evidence');
  const quotes = await page.locator('#panel blockquote.evidence').allTextContents();
  check(quotes.length === 2, `the Sumy event shows its 2 sources (${quotes.length})`);
  check(quotes.some((q) => q.includes('killed at least 35 people')), 'the panel quotes the evidence sentence');
  const panel = await page.locator('#panel').textContent();
  check(panel.includes('low 34, best 34, high 35') || panel.includes('low 34'), 'the panel shows the low/best/high estimate');
  check(panel.includes('not applicable') && panel.includes('hit civilians'), 'the panel shows the verdict and its reason');
  if (shots) await page.screenshot({ path: shots + '/event.png', fullPage: true });

  // Keyboard: the list of events is reachable and Enter opens an event.
  await page.locator('#events-list button[data-event="ev-kherson"]').focus();
  await page.keyboard.press('Enter');
  await page.waitForFunction(() => document.querySelector('#panel h2').textContent.includes('Kherson'));
  check(await page.evaluate(() => document.activeElement.id === 'panel'), 'Enter on a listed event moves focus to its panel');
  check((await page.locator('#panel').textContent()).includes('one party claim'), 'the Kherson violation shows its strength');

  // Filtering by agreement and verdict: the URL carries the filters.
  await page.selectOption('#f-agreement', 'energy-moratorium-2025');
  await page.selectOption('#f-verdict', 'violation_alleged');
  await page.click('#filters button[type=submit]');
  await page.waitForSelector('body[data-ready="1"]');
  const after = await page.locator('path.event-marker').count();
  check(after === 1, `filtering by agreement and verdict leaves 1 event (${after})`);
  check(page.url().includes('agreement=energy-moratorium-2025') && page.url().includes('verdict=violation_alleged'), 'the filters are in the URL');
  const shared = page.url();
  if (shots) await page.screenshot({ path: shots + '/filtered.png', fullPage: true });

  // A shared URL opens the same filtered view.
  const page2 = await browser.newPage();
  await page2.goto(shared);
  await page2.waitForSelector('body[data-ready="1"]');
  check(await page2.locator('path.event-marker').count() === 1, 'a shared URL restores the filtered view');
  check(await page2.inputValue('#f-agreement') === 'energy-moratorium-2025', 'the shared URL restores the form');

  // Accessibility basics: every form control has a label; the page has one h1 and a lang.
  const unlabeled = await page.evaluate(() => [...document.querySelectorAll('input, select')]
    .filter((e) => !document.querySelector(`label[for="${e.id}"]`)).length);
  check(unlabeled === 0, 'every filter control has a label');
  check(await page.evaluate(() => document.documentElement.lang === 'en'), 'the page declares its language');

  // Contrast (WCAG 2.1, 1.4.3): every visible text outside the map tiles has a contrast ratio of
  // at least 4.5:1 against the first opaque background behind it (3:1 for large text).
  const lowContrast = await page.evaluate(() => {
    const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => {
      const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
      return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
    };
    const background = (el) => {
      for (let e = el; e; e = e.parentElement) {
        const c = rgb(getComputedStyle(e).backgroundColor);
        if (c.length === 3 || (c.length === 4 && c[3] === 1)) return c.slice(0, 3);
      }
      return [255, 255, 255];
    };
    const bad = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const el = n.parentElement;
      if (!n.textContent.trim() || !el || el.closest('.leaflet-tile-pane, svg')) continue;
      const st = getComputedStyle(el);
      const box = el.getBoundingClientRect();
      if (st.visibility === 'hidden' || st.display === 'none' || box.width === 0 || box.height === 0) continue;
      const fg = rgb(st.color).slice(0, 3);
      const [a, b] = [lum(fg), lum(background(el))].sort((x, y) => y - x);
      const ratio = (a + 0.05) / (b + 0.05);
      const size = parseFloat(st.fontSize);
      const large = size >= 24 || (size >= 18.66 && Number(st.fontWeight) >= 700);
      if (ratio < (large ? 3 : 4.5)) bad.push(`${el.tagName.toLowerCase()} "${n.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}:1`);
    }
    return bad;
  });
  check(lowContrast.length === 0, 'every visible text has enough contrast (' + lowContrast.slice(0, 5).join('; ') + ')');
  check(offsite.length === 0, 'no request leaves the server (' + offsite.join(', ') + ')');
  check(errors.length === 0, 'no script errors (' + errors.join(' | ') + ')');
  console.log('ok: all checks passed');
} catch (e) {
  failed = true;
  console.error(String(e && e.stack || e));
} finally {
  await browser.close();
}
process.exit(failed ? 1 : 0);
