// The inbox folder journey, in the real webview (runs after desk.mjs, which created the
// workspace with the administrator `admin` and the drafter `li`). The administrator chooses
// the inbox folder in Settings (the native folder dialog answered through VETTED_E2E_PICK);
// the inbox says an administrator's session imports nothing. The drafter signs in; a text
// file copied into the folder appears under "What arrived" and in the inbox with its findings;
// a broken PDF lands in failed/ with a reason file, and the UI shows that reason.
//
// Drag and drop is not driven here: WebDriver cannot drop OS files on a WebKitGTK window. The
// shell's drop handler is unit-tested (src-tauri/src/intake.rs).
//
// Usage: node intake.mjs ABSOLUTE_APP_PATH OUTPUT_DIR  (VETTED_E2E_PICK names the dialog
// answers file; scripts/e2e.sh sets it). Screenshots: OUTPUT_DIR/intake-NN-step.png.
import { strict as assert } from 'node:assert';
import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, screenshot } from './webdriver.mjs';
import { signIn, signOut } from './steps.mjs';

const [application, outputDir] = process.argv.slice(2);
const picks = process.env.VETTED_E2E_PICK;
if (!application || !outputDir || !picks) {
  console.error('usage: VETTED_E2E_PICK=FILE node intake.mjs ABSOLUTE_APP_PATH OUTPUT_DIR');
  process.exit(2);
}
const driverUrl = process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444';
const here = dirname(fileURLToPath(import.meta.url));
const folder = join(outputDir, 'inbox-folder');
rmSync(folder, { recursive: true, force: true });
mkdirSync(folder, { recursive: true });

const session = await Session.start(driverUrl, application, []);
let shot = 0;
async function step(name) {
  await session.settled();
  shot += 1;
  const path = join(outputDir, `intake-${String(shot).padStart(2, '0')}-${name}.png`);
  screenshot(path);
  console.log(`e2e: intake ${name} ✓ (${path})`);
}


try {
  await session.waitFor('[data-testid=sign-in-submit]');
  await session.click('[data-testid=language] option[value=en]');

  // 1. The administrator chooses the inbox folder in Settings.
  await signIn(session, 'admin', 'correct horse battery');
  await session.click('[data-testid=nav-settings]');
  await session.waitFor('[data-testid=inbox-folder-none]');
  writeFileSync(picks, `${folder}\n`);
  await session.click('[data-testid=inbox-folder-choose]');
  await session.waitUntil('the chosen folder', () => session.text('[data-testid=inbox-folder-path]'), folder);
  await step('settings-folder');

  // 2. An administrator never imports: the inbox says the folder waits for a drafter.
  await session.click('[data-testid=nav-inbox]');
  await session.waitFor('[data-testid=arrivals-status][data-paused=not_a_drafter]', 15000);
  await session.click('[data-testid=sign-out]');

  // 3. The drafter signs in; a good and a broken file are copied into the folder.
  await signIn(session, 'li', 'drafter passphrase');
  await session.waitFor('[data-testid=arrivals-status][data-paused=""]', 15000);
  copyFileSync(join(here, 'data/notice.txt'), join(folder, 'notice.txt'));
  writeFileSync(join(folder, 'broken.pdf'), '%PDF-1.7\nnot a PDF body\n');

  // 4. The good file arrives, imported with its findings, and is in the inbox.
  const imported = '[data-testid=arrivals-list] li[data-file="notice.txt"][data-outcome=imported]';
  await session.waitFor(imported, 30000);
  const arrival = await session.text(imported);
  assert.match(arrival, /imported as D\d+ revision 1, [1-9]\d* finding\(s\)/, arrival);
  const document = arrival.match(/D\d+/)[0];
  await session.waitFor(`[data-testid=inbox-table] tr[data-document=${document}]`);
  const row = await session.text(`[data-testid=inbox-table] tr[data-document=${document}]`);
  assert.ok(row.includes('notice.txt'), row);
  const openCounts = await session.findAll(`tr[data-document=${document}] .open-counts .sev:not(.zero)`);
  assert.ok(openCounts.length > 0, `the inbox shows open findings for ${document}: ${row}`);
  assert.ok(existsSync(join(folder, 'processed/notice.txt')), 'notice.txt moved to processed/');

  // 5. The broken file failed; the reason the UI shows is the one written beside it.
  const failed = '[data-testid=arrivals-list] li[data-file="broken.pdf"][data-outcome=failed]';
  await session.waitFor(failed, 30000);
  const reasonFile = join(folder, 'failed/broken.pdf.reason.txt');
  assert.ok(existsSync(join(folder, 'failed/broken.pdf')) && existsSync(reasonFile), 'broken.pdf moved to failed/');
  const reason = readFileSync(reasonFile, 'utf8').trim();
  assert.ok(reason.length > 0);
  const shown = await session.text(`${failed} [data-testid=arrival-reason]`);
  assert.ok(shown.includes(reason), `the UI shows the reason: ${shown} / ${reason}`);
  await step('arrived');

  // 6. The same screen in Chinese.
  await session.click('[data-testid=language] option[value=zh]');
  await session.waitUntil('Chinese', () => session.text('#arrivals-title'), '新到文件');
  await step('arrived-zh');
  await session.click('[data-testid=language] option[value=en]');
} finally {
  await session.end();
}
console.log('e2e: intake journey passed');
