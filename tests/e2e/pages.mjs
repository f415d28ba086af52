// The page-view journey, in the real webview: a PDF is shown as its pages, drawn by pdf.js,
// with each finding highlighted on the glyphs the core located; areas are drawn with the mouse
// and with the keyboard; then a 300-page PDF (generated here, never committed) opens, and the
// time to its first page and the smoothness of scrolling through it are measured and printed.
//
// Asserted: behaviour only — page 1 is painted and in view, the highlight of a known finding
// covers the words pdftotext (an independent tool) locates, j moves the current highlight,
// drawn areas are listed, the window keeps painting frames while the long PDF is read, pages
// far down are painted after scrolling. Timings are measured and written to
// OUTPUT_DIR/pages-metrics.json, not asserted (the README quotes them).
//
// Usage: node pages.mjs ABSOLUTE_APP_PATH OUTPUT_DIR  (needs VETTED_PYTHON with reportlab,
// VETTED_E2E_PICK naming a file the app reads dialog answers from, and pdftotext).
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, screenshot, sleep } from './webdriver.mjs';

const [application, outputDir] = process.argv.slice(2);
if (!application || !outputDir) {
  console.error('usage: node pages.mjs ABSOLUTE_APP_PATH OUTPUT_DIR');
  process.exit(2);
}
const python = process.env.VETTED_PYTHON;
const picks = process.env.VETTED_E2E_PICK;
if (!python) throw new Error('pages journey: VETTED_PYTHON is not set (source scripts/python-env.sh)');
if (!picks) throw new Error('pages journey: VETTED_E2E_PICK is not set (scripts/e2e.sh sets it)');
const driverUrl = process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444';
const here = dirname(fileURLToPath(import.meta.url));
mkdirSync(outputDir, { recursive: true });

// The small PDF: the reportlab fixture, whose page 1 holds "phone 13800138000".
const small = join(outputDir, 'notice.pdf');
copyFileSync(resolve(here, '..', 'data', 'reportlab.pdf'), small);
const photo = resolve(here, '..', 'data', 'photo.jpg');
const long = join(outputDir, 'long-300-pages.pdf');
execFileSync(python, [join(here, 'make_long_pdf.py'), long, '300'], { stdio: 'inherit' });

/** The box pdftotext gives the first word containing `text` on page `page`, in PDF points
 * from the page's top left: the independent reference for where the highlight must be. */
function pdftotextBox(pdf, page, text) {
  const html = execFileSync('pdftotext', ['-bbox', '-f', String(page), '-l', String(page), pdf, '-'], {
    encoding: 'utf8',
  });
  for (const m of html.matchAll(/<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)<\/word>/g)) {
    if (m[5].includes(text)) {
      const [x0, y0, x1, y1] = m.slice(1, 5).map(Number);
      return { x: x0, y: y0, width: x1 - x0, height: y1 - y0 };
    }
  }
  throw new Error(`pdftotext finds no word containing ${text} on page ${page} of ${pdf}`);
}

/** The highlight boxes of range `start` on its page, converted back to PDF points through the
 * page element's size (the inverse of what the page view does). */
const HIGHLIGHT_BOXES = `
  const [start] = arguments;
  return [...document.querySelectorAll('[data-testid=page-highlight][data-start="' + start + '"]')].map((el) => {
    const page = el.closest('[data-testid=page]');
    const p = page.getBoundingClientRect();
    const r = el.getBoundingClientRect();
    const scale = p.width / Number(page.dataset.widthPt);
    return { page: Number(page.dataset.page), x: (r.left - p.left) / scale, y: (r.top - p.top) / scale,
             width: r.width / scale, height: r.height / scale, current: el.dataset.current === 'true' };
  });`;

let shot = 0;
async function step(session, name) {
  await session.settled();
  shot += 1;
  const path = join(outputDir, `pages-${String(shot).padStart(2, '0')}-${name}.png`);
  screenshot(path);
  console.log(`e2e: pages ${name} ✓ (${path})`);
}

/** Drags the mouse between two points given in the units of the element `css` (PDF points
 * of a page, pixels of a photo), whose size in those units is its `data-width-units`. */
async function drag(session, css, from, to) {
  const [x0, y0, x1, y1] = await session.execute(
    `const [css, a, b] = arguments;
     const el = document.querySelector(css);
     const p = el.getBoundingClientRect();
     const s = p.width / Number(el.dataset.widthPt ?? el.dataset.widthPx);
     return [p.left + a[0] * s, p.top + a[1] * s, p.left + b[0] * s, p.top + b[1] * s].map(Math.round);`,
    [css, from, to],
  );
  const move = (x, y, duration = 0) => ({ type: 'pointerMove', origin: 'viewport', x, y, duration });
  await session.call('POST', '/actions', {
    actions: [{
      type: 'pointer', id: 'mouse', parameters: { pointerType: 'mouse' },
      actions: [move(x0, y0), { type: 'pointerDown', button: 0 }, move((x0 + x1) >> 1, (y0 + y1) >> 1, 50),
        move(x1, y1, 50), { type: 'pointerUp', button: 0 }],
    }],
  });
  await session.call('DELETE', '/actions');
}

const areaCount = async (session) => (await session.findAll('[data-testid=area-list] li')).length;

const metrics = { machine: execFileSync('uname', ['-srm'], { encoding: 'utf8' }).trim() };
const session = await Session.start(driverUrl, application, [small]);
try {
  // 1. The PDF opens as its pages; page 1 is painted by pdf.js.
  await session.waitFor('[data-testid=pdf-pages] [data-testid=page][data-page="1"][data-painted]');
  // The journeys share one webview profile, and an earlier one may have left it in Chinese.
  await session.click('[data-testid=language] option[value=en]');
  await session.waitUntil('English', () => session.text('[data-testid=page-indicator]'), 'Page 1 of 2');
  metrics.small = await session.execute(`
    const d = document.querySelector('[data-testid=pdf-pages]').dataset;
    return { fetchedMs: Number(d.fetchedMs), parsedMs: Number(d.parsedMs), firstPageMs: Number(d.firstPageMs) };`);

  // 1b. The Chinese line (STSong-Light, not embedded: pdf.js needs its bundled CMap, which the
  // CSP must let it load) is drawn: the canvas has ink where pdftotext puts the words.
  const chinese = pdftotextBox(small, 1, '联系人');
  const ink = await session.execute(`
    const [b] = arguments;
    const page = document.querySelector('[data-testid=page][data-page="1"]');
    const canvas = page.querySelector('canvas');
    const s = canvas.width / Number(page.dataset.widthPt);
    const data = canvas.getContext('2d').getImageData(Math.floor(b.x * s), Math.floor(b.y * s), Math.ceil(b.width * s), Math.ceil(b.height * s)).data;
    let dark = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3] > 0 && data[i] + data[i + 1] + data[i + 2] < 384) dark++;
    return dark;`, [chinese]);
  assert.ok(ink > 20, `the Chinese line is drawn (${ink} dark pixels where pdftotext puts ${JSON.stringify(chinese)})`);

  // 2. The finding on "13800138000": selected from the panel, it is the current highlight, and
  // its box covers the words where pdftotext puts them.
  const findings = await session.execute(
    `return [...document.querySelectorAll('[data-finding-id]')].map((b) => [Number(b.dataset.findingId), b.querySelector('.quote').textContent]);`,
  );
  const phone = findings.find(([, quote]) => quote.includes('13800138000'));
  assert.ok(phone, `a finding on the phone number, among ${JSON.stringify(findings)}`);
  await session.click(`[data-finding-id="${phone[0]}"]`);
  await session.waitFor('[data-testid=page-highlight][data-current=true]');
  const start = Number(
    await session.execute(`return document.querySelector('[data-testid=page-highlight][data-current=true]').dataset.start;`),
  );
  const [box, ...more] = await session.execute(HIGHLIGHT_BOXES, [start]);
  assert.equal(more.length, 0, 'the number is one box on one line');
  const word = pdftotextBox(small, 1, '13800138000');
  const close = (a, b) => Math.abs(a - b) <= 3;
  console.log(`e2e: highlight ${JSON.stringify(box)} vs pdftotext ${JSON.stringify(word)}`);
  assert.equal(box.page, 1);
  assert.ok(close(box.x, word.x), `left edge: highlight ${box.x}, text ${word.x}`);
  // pdftotext's word includes the full stop after the number; the highlight stops before it.
  assert.ok(box.x + box.width <= word.x + word.width + 1 && box.x + box.width >= word.x + word.width - 6,
    `right edge: highlight ${box.x + box.width}, text ${word.x + word.width}`);
  assert.ok(box.y <= word.y + 2 && box.y + box.height >= word.y + word.height - 2, 'the box spans the line');
  assert.ok(box.height < 2 * word.height, 'and no more than the line');
  await step(session, 'highlight');

  // 2b. Zoomed in, the page is drawn larger and the highlight stays on the same words.
  const scaleOf = async () => Number(await session.execute(`return document.querySelector('[data-testid=pdf-pages]').dataset.scale;`));
  const fitScale = await scaleOf();
  await session.click('[data-testid=zoom-in]');
  await session.waitUntil('zoomed in', async () => Math.abs((await scaleOf()) - fitScale * 1.25) < 1e-6, true);
  const [zoomed] = await session.execute(HIGHLIGHT_BOXES, [start]);
  for (const k of ['x', 'y', 'width', 'height']) assert.ok(Math.abs(zoomed[k] - box[k]) < 0.5, `zoomed ${k}: ${zoomed[k]} vs ${box[k]}`);
  await session.click('[data-testid=zoom-fit]');
  await session.waitUntil('back to the page width', async () => Math.abs((await scaleOf()) - fitScale) < 1e-6, true);

  // 3. j moves on to the next finding: the phone number's highlight is no longer the current one.
  if (findings.length > 1) {
    await session.keys('j');
    const currentFinding = () => session.execute(`return document.querySelector('.finding.current')?.dataset.findingId;`);
    const deadline = Date.now() + 5000;
    while ((await currentFinding()) === String(phone[0]) && Date.now() < deadline) await sleep(100);
    assert.notEqual(await currentFinding(), String(phone[0]), 'j moved to another finding');
    const stale = await session.findAll(`[data-testid=page-highlight][data-start="${start}"][data-current=true]`);
    assert.equal(stale.length, 0, 'the phone number is no longer highlighted as current');
  }

  // 4. An area drawn with the mouse, and one with the keyboard, are listed for redaction.
  await drag(session, '[data-testid=page][data-page="1"]', [72, 150], [300, 200]);
  await session.waitUntil('areas after a drag', () => areaCount(session), 1);
  await session.keys('a');
  await session.waitFor('[data-testid=area-keyboard]');
  await session.keys('\uE014\uE014\uE015'); // right, right, down: moved
  await session.keys('\uE007'); // Enter
  await session.waitUntil('areas after the keyboard', () => areaCount(session), 2);
  assert.equal((await session.findAll('[data-testid=page-area]')).length, 2, 'both areas are drawn on the page');
  await step(session, 'areas');

  // 5. The 300-page PDF, opened with the Open button: the window keeps painting while the core
  // reads and scans it, and its first page appears.
  writeFileSync(picks, `${long}\n`);
  await session.execute(`
    window.__openedAt = performance.now();
    window.__frames = 0;
    window.__stopFrames = false;
    const count = () => { window.__frames++; if (!window.__stopFrames) requestAnimationFrame(count); };
    requestAnimationFrame(count);`);
  // The old review (with its painted page) goes away when the new document arrives.
  await session.click('[data-testid=open]');
  await session.waitUntil('the long PDF is open', () => session.text('[data-testid=document-name]'), 'long-300-pages.pdf', 120000);
  await session.waitFor('[data-testid=page][data-page="1"][data-painted]', 30000);
  const open = await session.execute(`
    window.__stopFrames = true;
    const root = document.querySelector('[data-testid=pdf-pages]');
    return { fetchedMs: Number(root.dataset.fetchedMs), parsedMs: Number(root.dataset.parsedMs),
             firstPageMs: Number(root.dataset.firstPageMs), sinceClickMs: Math.round(Number(root.dataset.firstPageAt) - window.__openedAt), frames: window.__frames };`);
  metrics.longFetchedMs = open.fetchedMs;
  metrics.longParsedMs = open.parsedMs;
  metrics.longFirstPageAfterViewMs = open.firstPageMs;
  metrics.longFirstPageAfterClickMs = open.sinceClickMs;
  metrics.framesWhileOpening = open.frames;
  metrics.fpsWhileOpening = Math.round((1000 * open.frames) / Math.max(1, open.sinceClickMs));
  assert.equal(await session.text('[data-testid=page-indicator]'), 'Page 1 of 300');
  const inView = await session.execute(`
    const page = document.querySelector('[data-testid=page][data-page="1"]').getBoundingClientRect();
    const view = document.querySelector('[data-testid=pdf-pages] .scroller').getBoundingClientRect();
    return page.top < view.bottom && page.bottom > view.top && page.width > 100;`);
  assert.ok(inView, 'page 1 is in view');
  assert.ok(open.frames > 1, 'the window painted frames while the PDF was read and scanned');
  await step(session, 'long-first-page');

  // The frame rate of the window doing nothing, for scale: on a loaded machine it is low
  // whatever the page view does.
  metrics.idleFps = await session.executeAsync(`
    const done = arguments[arguments.length - 1];
    let n = 0;
    const t0 = performance.now();
    const tick = (now) => (now - t0 < 1000 ? (n++, requestAnimationFrame(tick)) : done(n));
    requestAnimationFrame(tick);`);

  // 6. Scrolling: three seconds of programmatic scrolling at 400 px a frame (about half a page);
  // the frame times say how smooth it is. Then the page reached is painted.
  const scroll = await session.executeAsync(`
    const done = arguments[arguments.length - 1];
    const scroller = document.querySelector('[data-testid=pdf-pages] .scroller');
    const times = [];
    function tick(now) {
      times.push(now);
      scroller.scrollTop += 400;
      if (now - times[0] < 3000) requestAnimationFrame(tick);
      else {
        const gaps = times.slice(1).map((t, i) => t - times[i]).sort((a, b) => a - b);
        const total = times[times.length - 1] - times[0];
        done({ frames: times.length, ms: Math.round(total), fps: Math.round((1000 * (times.length - 1)) / total),
               p95: Math.round(gaps[Math.floor(gaps.length * 0.95)]), worst: Math.round(gaps[gaps.length - 1]),
               over50: gaps.filter((g) => g > 50).length, scrollTop: scroller.scrollTop });
      }
    }
    requestAnimationFrame(tick);`);
  metrics.scroll = scroll;
  const reached = await session.execute(`
    const s = document.querySelector('[data-testid=pdf-pages] .scroller');
    const mid = s.getBoundingClientRect().top + s.clientHeight / 2;
    const page = [...document.querySelectorAll('[data-testid=page]')].find((p) => { const r = p.getBoundingClientRect(); return r.top <= mid && r.bottom >= mid; });
    return page ? Number(page.dataset.page) : null;`);
  assert.ok(reached > 5, `the scroll went far down (page ${reached})`);
  await session.waitFor(`[data-testid=page][data-page="${reached}"][data-painted]`, 15000);
  metrics.canvases = await session.execute(`return document.querySelectorAll('[data-testid=pdf-pages] canvas').length;`);
  assert.ok(metrics.canvases <= 6, `only the pages in view and their neighbours have a canvas (${metrics.canvases})`);
  await step(session, 'long-scrolled');

  // 7. A photo: the picture, its GPS position and EXIF fields, an area drawn on it; then the
  // same in Chinese.
  writeFileSync(picks, `${photo}\n`);
  await session.click('[data-testid=open]');
  await session.waitUntil('the photo is open', () => session.text('[data-testid=document-name]'), 'photo.jpg', 30000);
  await session.waitUntil('the picture is decoded', () => session.execute(
    `const img = document.querySelector('[data-testid=photo]'); return Boolean(img && img.complete && img.naturalWidth > 0);`), true);
  assert.match(await session.text('[data-testid=photo-gps]'), /39\.904211° N, 116\.407394° E/);
  assert.match(await session.text('[data-testid=photo-fields]'), /EXIF/);
  await drag(session, '[data-testid=photo-frame]', [2, 2], [40, 30]);
  await session.waitUntil('areas on the photo', () => areaCount(session), 1);
  await step(session, 'photo');
  await session.click('[data-testid=language] option[value=zh]');
  await session.waitUntil('GPS in Chinese', async () => /北纬 39\.904211°，东经 116\.407394°/.test(await session.text('[data-testid=photo-gps]')), true);
  await step(session, 'photo-zh');
  await session.click('[data-testid=language] option[value=en]');
} finally {
  await session.end();
}
writeFileSync(join(outputDir, 'pages-metrics.json'), JSON.stringify(metrics, null, 2));
console.log(`e2e: pages metrics ${JSON.stringify(metrics)}`);
console.log('e2e: pages journey passed');
