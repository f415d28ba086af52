// The review journey, in the real webview, on a workspace seeded here with the CLI: the
// reviewer signs in, opens D1, sees its findings highlighted, redacts one with `r`, keeps one
// with `K` (reason code + note), undoes that with `u` and keeps it again, selects a phrase and redacts it with `m`, selects another and
// redacts every occurrence with `a`, removes a mark and makes it again, and watches the counts follow. A reload shows what was
// stored, a DOCX shows its hidden content apart, a PDF shows its pages and takes an area, the CLI (`vetted findings D1 --json`, `vetted audit log D1 --json`) confirms it, and an
// approver sees the same review read-only, with the reason.
//
// Usage: node review.mjs ABSOLUTE_APP_PATH OUTPUT_DIR, with VETTED_WORKSPACE naming a directory
// that holds no workspace yet (the app started by tauri-driver works on it too) and
// VETTED_CLI the `vetted` binary. Screenshots: OUTPUT_DIR/review-NN-step.png.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, screenshot } from './webdriver.mjs';
import { signIn, signOut, selectPhrase } from './steps.mjs';

const [application, outputDir] = process.argv.slice(2);
const workspace = process.env.VETTED_WORKSPACE;
const cli = process.env.VETTED_CLI;
if (!application || !outputDir || !workspace || !cli) {
  console.error('usage: VETTED_WORKSPACE=DIR VETTED_CLI=PATH node review.mjs ABSOLUTE_APP_PATH OUTPUT_DIR');
  process.exit(2);
}
const driverUrl = process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444';
mkdirSync(outputDir, { recursive: true });

// The draft: four findings by the shipped rules (95837部队 twice, 军事管理区, the phone
// number), a phrase to select once (下月) and one that occurs three times (开放日).
const DRAFT = '关于95837部队开放日的通知\n\n95837部队将于下月在军事管理区举办开放日。联系人：张三，电话13800138000。\n开放日当天请勿拍照。\n';

/** Runs the CLI on the journey's workspace as `user` (passphrase `pass-USER`). */
function vetted(args, user = null, newPassphrase = null) {
  const env = { ...process.env, VETTED_WORKSPACE: workspace };
  if (user) env.VETTED_PASSPHRASE = `pass-${user}`;
  if (newPassphrase) env.VETTED_NEW_PASSPHRASE = newPassphrase;
  return execFileSync(cli, args, { env, encoding: 'utf8' });
}

vetted(['init', '--admin', 'admin'], null, 'pass-admin');
for (const [name, role] of [['dora', 'drafter'], ['rita', 'reviewer'], ['alex', 'approver']]) {
  vetted(['user', 'add', name, '--role', role, '--as', 'admin'], 'admin', `pass-${name}`);
}
const draftPath = join(outputDir, 'open-day.txt');
writeFileSync(draftPath, DRAFT);
vetted(['import', draftPath, '--as', 'dora'], 'dora');
// D2: the sample DOCX, with comments, tracked changes and metadata.
const sampleDocx = fileURLToPath(new URL('../../assets/samples/信息公开-草稿.docx', import.meta.url));
vetted(['import', sampleDocx, '--as', 'dora'], 'dora');
// D3: the sample PDF, shown as its pages.
const samplePdf = fileURLToPath(new URL('../../assets/samples/新闻稿-草稿.pdf', import.meta.url));
vetted(['import', samplePdf, '--as', 'dora'], 'dora');

let shot = 0;
async function step(name) {
  await session.settled();
  shot += 1;
  const path = join(outputDir, `review-${String(shot).padStart(2, '0')}-${name}.png`);
  screenshot(path);
  console.log(`e2e: review ${name} ✓ (${path})`);
}

async function countsOf() {
  const read = async (name) => Number(await session.text(`[data-testid=count-${name}]`));
  return { open: await read('open'), redact: await read('redact'), keep: await read('keep'), manual: await read('manual') };
}

/** Waits until the counts are `expected`. */
async function countsAre(what, expected) {
  await session.waitUntil(what, countsOf, expected);
}

async function open(document, shown = '[data-testid=text]') {
  // The inbox draws before its rows arrive: wait for the document's button, not the table.
  await session.waitFor(`[data-testid=open-${document}]`);
  await session.click(`[data-testid=open-${document}]`);
  await session.waitFor(`[data-testid=workspace-review][data-document=${document}] ${shown}`);
}

// The findings redacted and kept in the webview, checked with the CLI at the end.
let redacted = null;
let kept = null;
const session = await Session.start(driverUrl, application, []);
try {
  await session.waitFor('[data-testid=language]');
  await session.click('[data-testid=language] option[value=en]');

  // 1. The reviewer signs in and opens D1: its text, four open findings highlighted, the legend.
  await signIn(session, 'rita', 'pass-rita');
  await open('D1');
  assert.equal(await session.text('[data-testid=review-heading]'), 'D1 · revision 1');
  assert.match(await session.text('[data-testid=text]'), /95837部队将于下月在军事管理区举办开放日/);
  await countsAre('four open findings', { open: 4, redact: 0, keep: 0, manual: 0 });
  assert.equal((await session.findAll('[data-testid=text] mark[data-mark=open]')).length, 4);
  assert.equal((await session.findAll('[data-testid=read-only]')).length, 0, 'a reviewer may decide');
  await session.waitFor('[data-testid=legend]');
  await step('opened');

  // 2. `j` then `r`: the first finding is redacted, drawn black, and stored.
  await session.keys('j');
  await session.waitFor('.finding.current');
  redacted = await session.execute(`return document.querySelector('.finding.current').dataset.findingId;`);
  await session.keys('r');
  await countsAre('one redacted', { open: 3, redact: 1, keep: 0, manual: 0 });
  await session.waitFor(`[data-finding-id="${redacted}"][data-state=redact]`);
  assert.equal((await session.findAll('[data-testid=text] mark[data-mark=redact]')).length, 1);
  await step('redacted');

  // 3. `K` on the next open finding: the dialog asks a reason code (the finding's suggestion
  // chosen) and a note; Enter in the note confirms.
  await session.waitFor('.finding.current[data-state=open]');
  kept = await session.execute(`return document.querySelector('.finding.current').dataset.findingId;`);
  await session.keys('K');
  await session.waitFor('[data-testid=keep-dialog]');
  await session.type('[data-testid=keep-note]', 'published in the 2024 open-day notice');
  await step('keep-dialog');
  await session.keys('\uE007');
  await countsAre('one kept', { open: 2, redact: 1, keep: 1, manual: 0 });
  assert.equal((await session.findAll('[data-testid=keep-dialog]')).length, 0, 'the dialog closed');
  assert.match(
    await session.text(`[data-finding-id="${kept}"] [data-testid=decision]`),
    /keep by rita: state secret — published in the 2024 open-day notice/,
  );
  await step('kept');

  // `u` on the kept finding reopens it; `K` keeps it again.
  await session.click(`[data-finding-id="${kept}"]`);
  await session.keys('u');
  await countsAre('the keep undone', { open: 3, redact: 1, keep: 0, manual: 0 });
  await session.waitFor(`[data-finding-id="${kept}"][data-state=open]`);
  // This time from the keyboard alone: Tab goes from the reason code to the note, and round
  // the dialog's controls without leaving it.
  const focused = () => session.execute(`return document.activeElement?.dataset.testid ?? null;`);
  await session.keys('K');
  await session.waitFor('[data-testid=keep-dialog]');
  await session.waitUntil('the reason code has the focus', focused, 'keep-code');
  await session.keys('\uE004');
  await session.waitUntil('Tab moves to the note', focused, 'keep-note');
  await session.keys('published in the 2024 open-day notice');
  await session.keys('\uE004\uE004\uE004');
  await session.waitUntil('Tab wraps round to the reason code', focused, 'keep-code');
  await session.keys('\uE004');
  await session.keys('\uE007');
  await countsAre('kept again', { open: 2, redact: 1, keep: 1, manual: 0 });

  // 4. A phrase selected by hand, redacted with `m`; another, everywhere, with `a`.
  assert.equal(await selectPhrase(session, '下月'), '下月');
  await session.keys('m');
  await countsAre('one passage marked', { open: 2, redact: 1, keep: 1, manual: 1 });
  assert.equal(await session.text('[data-testid=text] mark[data-mark=manual]'), '下月');
  assert.equal(await selectPhrase(session, '开放日'), '开放日');
  await session.keys('a');
  await countsAre('three more passages marked', { open: 2, redact: 1, keep: 1, manual: 4 });
  const marks = await session.execute(
    `return [...document.querySelectorAll('[data-testid=manual-list] .quote')].map((q) => q.textContent);`,
  );
  assert.deepEqual(marks, ['下月', '开放日']);
  await step('marked');

  // A mark removed by its button, then made again with `r` on the selection.
  await session.click('[data-testid=manual-list] li:first-child [data-testid^=remove-mark-]');
  await countsAre('the mark removed', { open: 2, redact: 1, keep: 1, manual: 3 });
  assert.equal(await selectPhrase(session, '下月'), '下月');
  await session.keys('r');
  await countsAre('marked again', { open: 2, redact: 1, keep: 1, manual: 4 });

  // 5. Back to the inbox and in again: everything decided is still there.
  await session.click('[data-testid=back]');
  await session.waitFor('[data-testid=inbox]');
  await open('D1');
  await countsAre('the same counts after a reload', { open: 2, redact: 1, keep: 1, manual: 4 });

  // 6. The same screen in Chinese.
  await session.click('[data-testid=language] option[value=zh]');
  await session.waitUntil('heading in Chinese', () => session.text('[data-testid=review-heading]'), 'D1 · 第 1 版');
  await step('chinese');
  await session.click('[data-testid=language] option[value=en]');

  // 7. The DOCX: its comments, tracked changes and metadata listed apart from the text, and the
  // findings in them grouped as hidden content.
  await session.click('[data-testid=back]');
  await session.waitFor('[data-testid=inbox]');
  await open('D2');
  const hiddenKinds = await session.execute(
    `return [...document.querySelectorAll('[data-testid=hidden-list] li b')].map((b) => b.textContent);`,
  );
  assert.ok(hiddenKinds.includes('Comment') && hiddenKinds.includes('Tracked deletion'), String(hiddenKinds));
  await session.waitFor('.group[data-category=hidden_content]');
  await session.execute(`document.querySelector('[data-testid=hidden-list]').scrollIntoView();`);
  await step('docx-hidden');

  // 8. The PDF: its pages drawn with the findings highlighted on the glyphs; `a` draws an area
  // from the keyboard and Enter marks it, stored as an area mark.
  await session.click('[data-testid=back]');
  await session.waitFor('[data-testid=inbox]');
  await open('D3', '[data-testid=pdf-pages]');
  await session.waitFor('[data-testid=page][data-painted=true]', 30000);
  await session.waitUntil('highlights on the page', async () => (await session.findAll('[data-testid=page-highlight]')).length > 0, true, 30000);
  await session.keys('a');
  await session.waitFor('[data-testid=area-keyboard]');
  await session.keys('\uE007');
  await session.waitFor('[data-testid=manual-list] li');
  assert.match(await session.text('[data-testid=manual-list] li'), /Area on page 1 · sensitive information · rita/);
  await session.waitUntil('the area drawn', async () => (await session.findAll('[data-testid=page-area]')).length, 1);
  await step('pdf-area');

  // 9. An approver sees the review read-only, told why.
  await session.click('[data-testid=sign-out]');
  await signIn(session, 'alex', 'pass-alex');
  await open('D1');
  await session.waitFor('[data-testid=read-only][data-reason=not_reviewer]');
  assert.match(await session.text('[data-testid=read-only]'), /only reviewers decide findings/);
  assert.equal((await session.findAll('[data-testid=mark-selection]')).length, 0, 'no marking tools');
  await session.keys('j');
  await session.keys('r');
  await countsAre('nothing changed read-only', { open: 2, redact: 1, keep: 1, manual: 4 });
  await step('read-only');
} finally {
  await session.end();
}

// 10. The workspace holds the decisions and marks, as the CLI reports them.
const findings = JSON.parse(vetted(['findings', 'D1', '--json']));
const list = Array.isArray(findings) ? findings : findings.findings;
const statuses = Object.fromEntries(list.map((f) => [String(f.id), f.status]));
assert.equal(statuses[redacted], 'redact', `finding ${redacted} is stored as redact`);
assert.equal(statuses[kept], 'keep', `finding ${kept} is stored as keep`);
assert.equal(list.filter((f) => f.status === 'open').length, 2);
const keptReason = list.find((f) => String(f.id) === kept).decision_reason;
assert.match(keptReason, /^\w+: published in the 2024 open-day notice$/);
const log = JSON.parse(vetted(['audit', 'log', 'D1', '--json']));
assert.deepEqual(
  log.map((e) => e.action).filter((a) => ['decide', 'reopen', 'mark', 'unmark'].includes(a)),
  ['decide', 'decide', 'reopen', 'decide', 'mark', 'mark', 'unmark', 'mark'],
);
const areaMarks = JSON.parse(vetted(['audit', 'log', 'D3', '--json'])).filter((e) => e.action === 'mark');
assert.deepEqual(areaMarks.map((e) => [e.payload.target.kind, e.payload.target.page]), [['area', 1]]);
console.log('e2e: review journey passed');
