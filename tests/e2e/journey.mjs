// The first end-to-end journey, in the real webview: the quick check, read-only (it has no
// export: publishing goes through the workspace's sign-off). Open a TXT draft, see its text and
// findings, redact one with the keyboard and keep another with a reason (when the rules report
// them), redact a passage selected by hand, watch the counts update, switch to Chinese.
//
// Usage: node journey.mjs ABSOLUTE_APP_PATH OUTPUT_DIR  (scripts/e2e.sh starts Xvfb and
// tauri-driver first). Every step saves a screenshot OUTPUT_DIR/NN-step.png.
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, screenshot } from './webdriver.mjs';
import { selectPhrase } from './steps.mjs';

const [application, outputDir] = process.argv.slice(2);
if (!application || !outputDir) {
  console.error('usage: node journey.mjs ABSOLUTE_APP_PATH OUTPUT_DIR');
  process.exit(2);
}
const driverUrl = process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444';
const draft = resolve(dirname(fileURLToPath(import.meta.url)), 'data', 'notice.txt');
mkdirSync(outputDir, { recursive: true });

let shot = 0;
async function step(name) {
  await session.settled();
  shot += 1;
  const path = join(outputDir, `${String(shot).padStart(2, '0')}-${name}.png`);
  screenshot(path);
  console.log(`e2e: ${name} ✓ (${path})`);
}

async function countsOf(session) {
  const read = async (name) => Number(await session.text(`[data-testid=count-${name}]`));
  return { open: await read('open'), redact: await read('redact'), keep: await read('keep'), manual: await read('manual') };
}

const session = await Session.start(driverUrl, application, [draft]);
try {
  // 1. The draft named on the command line opens: its name, its text, the legend.
  await session.waitFor('[data-testid=text]');
  assert.equal(await session.text('[data-testid=document-name]'), 'notice.txt');
  assert.match(await session.text('[data-testid=text]'), /联系人：张三，电话 13800138000/);
  await session.waitFor('[data-testid=legend]');
  assert.equal(await session.text('[data-testid=open]'), 'Open draft…', 'a fresh profile starts in English');
  // The quick check is read-only: no export, which would bypass review and approval.
  assert.equal((await session.findAll('[data-testid=export]')).length, 0, 'the quick check has no export');
  await session.waitFor('[data-testid=quick-check-note]');
  const findings = (await session.findAll('[data-finding-id]')).length;
  const before = await countsOf(session);
  assert.deepEqual(before, { open: findings, redact: 0, keep: 0, manual: 0 }, 'every finding starts open');
  console.log(`e2e: the core reported ${findings} finding(s) in notice.txt`);
  await step('opened');

  // 2. With findings: j selects the first, r redacts it, and the counts move by one.
  if (findings > 0) {
    await session.keys('j');
    await session.waitFor('.finding.current');
    await session.keys('r');
    await session.waitUntil('counts after j r', () => countsOf(session), { ...before, open: findings - 1, redact: 1 });
    assert.equal((await session.findAll('mark[data-mark=redact]')).length > 0, true, 'the redacted finding is drawn black');
    await step('finding-redacted');
  }

  // 2b. With a second finding: K asks why it may stay; the reason is required, then recorded.
  if (findings > 1) {
    const beforeKeep = await countsOf(session);
    await session.keys('j');
    await session.keys('K');
    await session.waitFor('[data-testid=keep-dialog]');
    await session.keys('\uE007'); // Enter with no reason: refused, the dialog stays.
    await session.waitFor('[data-testid=keep-dialog] .error-text');
    await session.type('[data-testid=keep-reason]', 'published in the 2024 annual report');
    await session.keys('\uE007');
    await session.waitUntil('counts after K', () => countsOf(session), {
      ...beforeKeep, open: beforeKeep.open - 1, keep: 1,
    });
    assert.equal((await session.findAll('[data-testid=keep-dialog]')).length, 0, 'the dialog closed');
    assert.match(await session.text('.finding[data-state=keep]'), /published in the 2024 annual report/);
    await step('finding-kept');
  }

  // 3. A passage selected by hand is redacted with the same key.
  const afterFindings = await countsOf(session);
  assert.equal(await selectPhrase(session, '450 万元'), '450 万元');
  await session.keys('r');
  await session.waitUntil('counts after selecting and r', () => countsOf(session), { ...afterFindings, manual: 1 });
  assert.equal(await session.text('mark[data-mark=manual]'), '450 万元');
  assert.equal(await session.text('[data-testid=manual-list] .quote'), '450 万元');
  await step('selection-redacted');

  // 4. The interface switches to Chinese at run time, decisions intact.
  await session.click('[data-testid=language] option[value=zh]');
  await session.waitUntil('open button in Chinese', () => session.text('[data-testid=open]'), '打开文稿…');
  assert.deepEqual(await countsOf(session), { ...afterFindings, manual: 1 });
  await step('chinese');
} finally {
  await session.end();
}
console.log('e2e: journey passed');
