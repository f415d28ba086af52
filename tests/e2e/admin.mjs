// The administration and audit journey, in the real webview, on the workspace the desk journey
// created (admin / "correct horse battery", drafter li / "drafter passphrase"):
//   1. the administrator adds a reviewer, an auditor and a spare drafter, changes the
//      reviewer's roles and disables the spare drafter; adds a reason code; disables the
//      personal-information pack and adds the term 红星项目 to a classification rule;
//   2. the drafter imports a draft holding that term and an e-mail address: the inbox shows
//      exactly one open finding (the new term), none for the disabled pack; the audit screen
//      tells the drafter which role it needs;
//   3. the auditor verifies the chain (the head hash is shown), reads the document's timeline
//      and exports its review record as CSV through the save dialog (answered by the
//      VETTED_E2E_PICK hook) and the document's timeline as CSV; this test reads both.
//
// Usage: node admin.mjs ABSOLUTE_APP_PATH OUTPUT_DIR  (VETTED_WORKSPACE and VETTED_E2E_PICK
// set by scripts/e2e.sh). Screenshots: OUTPUT_DIR/admin-NN-step.png.
import { strict as assert } from 'node:assert';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Session, screenshot } from './webdriver.mjs';
import { signIn, signOut } from './steps.mjs';

const [application, outputDir] = process.argv.slice(2);
if (!application || !outputDir) {
  console.error('usage: node admin.mjs ABSOLUTE_APP_PATH OUTPUT_DIR');
  process.exit(2);
}
const picks = process.env.VETTED_E2E_PICK;
if (!picks) {
  console.error('admin.mjs: VETTED_E2E_PICK must name the dialog answers file (scripts/e2e.sh sets it)');
  process.exit(2);
}
const driverUrl = process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444';
mkdirSync(outputDir, { recursive: true });

/** Queues the answers the next native dialogs give (one path a line). */
function answerDialogs(...paths) {
  writeFileSync(picks, paths.map((p) => `${p}\n`).join(''));
}

const session = await Session.start(driverUrl, application, []);
let shot = 0;
async function step(name) {
  await session.settled();
  shot += 1;
  const path = join(outputDir, `admin-${String(shot).padStart(2, '0')}-${name}.png`);
  screenshot(path);
  console.log(`e2e: admin ${name} ✓ (${path})`);
}



const attribute = (css, name) =>
  session.execute(`return document.querySelector(arguments[0])?.getAttribute(arguments[1]) ?? null;`, [css, name]);

async function addUser(name, roles, passphrase) {
  await session.type('[data-testid=new-user]', name);
  for (const role of roles) await session.click(`[data-testid=add-user] input[data-role=${role}]`);
  await session.type('[data-testid=new-passphrase]', passphrase);
  await session.click('[data-testid=add-user-submit]');
  await session.waitUntil(`${name} added`, () => session.text('[data-testid=settings-notice]'), `${name} was added.`);
}

try {
  await session.waitFor('[data-testid=language]');
  await session.click('[data-testid=language] option[value=en]');

  // 1. The administrator's settings.
  await signIn(session, 'admin', 'correct horse battery');
  await session.click('[data-testid=nav-settings]');
  await session.waitFor('[data-testid=settings-users] tr[data-user=admin]');
  await addUser('wang', ['reviewer'], 'reviewer passphrase');
  await addUser('otto', ['auditor'], 'auditor passphrase');
  await addUser('zhao', ['drafter'], 'spare passphrase');

  await session.click('[data-testid=edit-roles-wang]');
  await session.click('tr[data-user=wang] input[data-edit-role=approver]');
  await session.click('[data-testid=save-roles]');
  await session.waitUntil('wang roles', () => attribute('tr[data-user=wang]', 'data-roles'), 'reviewer,approver');

  await session.click('[data-testid=disable-zhao]');
  await session.click('[data-testid=disable-confirm]');
  await session.waitUntil('zhao disabled', () => attribute('tr[data-user=zhao]', 'data-disabled'), 'true');
  await step('users');

  await session.type('[data-testid=code-new]', 'export_control');
  await session.type('[data-testid=code-zh]', '出口管制');
  await session.type('[data-testid=code-en]', 'export control');
  await session.click('[data-testid=code-submit]');
  await session.waitFor('[data-testid=settings-codes] tr[data-code=export_control]');

  assert.equal(await attribute('[data-testid=rules-source]', 'data-builtin'), 'true');
  await session.click('[data-testid=pack-toggle-personal]');
  await session.waitUntil('personal pack off', () => attribute('tr[data-pack=personal]', 'data-enabled'), 'false');
  assert.equal(await attribute('[data-testid=rules-source]', 'data-builtin'), 'false');

  await session.click('[data-testid=terms-rule] option[value="classification.level.zh"]');
  await session.type('[data-testid=terms-text]', '红星项目');
  await session.click('[data-testid=terms-submit]');
  await session.waitUntil(
    'term added',
    () => session.text('[data-testid=settings-notice]'),
    '1 new terms added to classification.level.zh.',
  );
  await step('rules-and-codes');
  // The same screen in Chinese, for the screenshots (every string is translated).
  await session.click('[data-testid=language] option[value=zh]');
  await session.waitUntil('Chinese', () => session.text('[data-testid=nav-settings]'), '设置');
  await step('settings-zh');
  await session.click('[data-testid=language] option[value=en]');

  // The disabled user can no longer sign in.
  await signOut(session);
  const users = await session.execute(
    `return [...document.querySelectorAll('[data-testid=user] option')].map((o) => o.value);`,
  );
  assert.ok(!users.includes('zhao'), `a disabled user is not offered at sign-in: ${users}`);

  // 2. The drafter imports a draft with the new term and an e-mail address.
  const draft = join(outputDir, 'redstar-plan.txt');
  writeFileSync(draft, '红星项目下月启动，联系人 li@example.com。\n');
  await signIn(session, 'li', 'drafter passphrase');
  answerDialogs(draft);
  await session.click('[data-testid=import]');
  let row = null;
  await session.waitUntil('the imported row', async () => {
    row = await session.execute(
      `const cell = [...document.querySelectorAll('[data-testid=inbox-table] td.file')]
         .find((td) => td.textContent.trim() === 'redstar-plan.txt');
       return cell ? cell.closest('tr').getAttribute('data-document') : null;`,
    );
    return row !== null;
  }, true);
  assert.match(row, /^D\d+$/);
  const counts = await session.execute(
    `return [...document.querySelectorAll('tr[data-document="${row}"] .sev')].map((s) => s.textContent.trim());`,
  );
  assert.deepEqual(counts, ['Critical 0', 'High 1', 'Medium 0', 'Low 0'], 'only the added term is found');
  await step('drafter-import');

  await session.click('[data-testid=nav-audit]');
  await session.waitFor('[data-testid=audit-forbidden]');
  await step('drafter-audit-refused');
  await signOut(session);

  // 3. The auditor verifies the chain and exports the review record.
  await signIn(session, 'otto', 'auditor passphrase');
  await session.click('[data-testid=nav-audit]');
  await session.waitFor('[data-testid=audit-table]');
  await session.click('[data-testid=audit-verify]');
  await session.waitFor('[data-testid=audit-chain][data-intact=true]');
  const head = await session.text('[data-testid=audit-head]');
  assert.match(head, /^[0-9a-f]{64}$/);
  const summary = await session.text('[data-testid=audit-chain-summary]');
  assert.match(summary, /^Chain intact: \d+ entries, every stored original matches\.$/);
  const lastHash = await session.execute(
    `const rows = document.querySelectorAll('[data-testid=audit-table] tbody tr');
     return rows[rows.length - 1].querySelector('.hash').getAttribute('title');`,
  );
  assert.equal(lastHash, head, 'the head is the last entry of the whole log');
  for (const action of ['rule_pack_disabled', 'rule_terms_added', 'roles_changed', 'user_disabled', 'reason_code_added']) {
    assert.ok((await session.findAll(`tr[data-action=${action}]`)).length > 0, `the log shows ${action}`);
  }
  await step('auditor-verified');

  await session.click(`[data-testid=audit-scope] option[value="${row}"]`);
  await session.waitUntil('timeline', () => session.execute(
    `return [...document.querySelectorAll('[data-testid=audit-table] tbody tr')].map((r) => r.getAttribute('data-action'));`,
  ), ['import', 'scan']);
  const record = join(outputDir, 'review-record.csv');
  answerDialogs(record);
  await session.click('[data-testid=audit-export-csv]');
  await session.waitUntil('exported', () => session.text('[data-testid=audit-exported]'), `Written to ${record}`);
  await step('auditor-record');

  // ...and the document's timeline as CSV, with the hashes the chain is made of.
  const timeline = join(outputDir, 'timeline.csv');
  answerDialogs(timeline);
  await session.click('[data-testid=audit-export-log]');
  await session.waitUntil('timeline exported', () => session.text('[data-testid=audit-exported]'), `Written to ${timeline}`);
  const timelineRows = readFileSync(timeline, 'utf8').split('\r\n').filter((l) => l !== '');
  assert.equal(timelineRows[0], 'seq,time,actor,action,document,payload,prev_hash,hash');
  assert.deepEqual(timelineRows.slice(1).map((l) => l.split(',')[3]), ['import', 'scan']);
  await session.click('[data-testid=language] option[value=zh]');
  await session.waitUntil('Chinese', () => session.text('[data-testid=audit-verify]'), '校验整条哈希链');
  await step('auditor-record-zh');

  assert.ok(existsSync(record), `${record} was written`);
  const csv = readFileSync(record, 'utf8');
  const lines = csv.split('\r\n');
  assert.equal(lines[0], 'section,document,details');
  assert.ok(lines.some((l) => l.startsWith(`revision,${row},1,redstar-plan.txt,txt,`)), csv);
  assert.ok(lines.some((l) => l.startsWith(`finding,${row},1,#1,classification.level.zh,`)), csv);
  assert.equal(lines.filter((l) => l.startsWith('finding,')).length, 1, csv);
} finally {
  await session.end();
}
console.log('e2e: admin journey passed');
