// The whole workflow, in the real webview, from an empty workspace to a verified public PDF and
// DOCX: the administrator creates the workspace and adds a drafter, a reviewer, an approver and
// an auditor; the drafter imports a PDF and a DOCX (import button + the dialog hook); the
// reviewer redacts with the keyboard, keeps a finding with a reason, marks a phrase by hand and
// signs "review complete" (a wrong passphrase first: refused, nothing signed); the approver
// reads the redacted preview side by side, approves with a comment and exports each through
// the save dialog; the auditor verifies the chain on the audit screen and writes the review
// record there. Along the way
// the refusals are shown with their rule: the drafter may not approve what they drafted, and the
// export is refused before approval. Independent tools check the exports: pdftotext for the
// PDF (the kept passage is there, the redacted ones are not), python-docx for the DOCX.
//
// Usage: node workflow.mjs ABSOLUTE_APP_PATH OUTPUT_DIR, with VETTED_WORKSPACE naming an empty
// directory, VETTED_E2E_PICK the dialog hook's queue file (both also in the environment of the
// tauri-driver that starts the app), VETTED_CLI the `vetted` binary, and VETTED_PYTHON the
// project venv's python (scripts/python-env.sh). Screenshots: OUTPUT_DIR/workflow-NN-step.png.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, screenshot } from './webdriver.mjs';
import { signIn, signOut, selectPhrase } from './steps.mjs';

const [application, outputDir] = process.argv.slice(2);
const { VETTED_WORKSPACE: workspace, VETTED_E2E_PICK: picks, VETTED_CLI: cli, VETTED_PYTHON: python } = process.env;
if (!application || !outputDir || !workspace || !picks || !cli || !python) {
  console.error(
    'usage: VETTED_WORKSPACE=DIR VETTED_E2E_PICK=FILE VETTED_CLI=PATH VETTED_PYTHON=PATH ' +
      'node workflow.mjs ABSOLUTE_APP_PATH OUTPUT_DIR',
  );
  process.exit(2);
}
const driverUrl = process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444';
mkdirSync(outputDir, { recursive: true });

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The sample drafts: a LibreOffice press release (PDF, 12 findings, six of them in its
// metadata and outline) and a disclosure notice (DOCX, with comments, tracked changes, hidden
// text and properties that name the unit).
const PDF = join(root, 'assets', 'samples', '新闻稿-草稿.pdf');
const DOCX = join(root, 'assets', 'samples', '信息公开-草稿.docx');
const PDF_OUT = join(outputDir, 'workflow-press-release.public.pdf');
const DOCX_OUT = join(outputDir, 'workflow-notice.public.docx');
const REPORT = join(outputDir, 'workflow-D1-record.csv');
/** The PDF finding the reviewer keeps, and the phrase they mark by hand. */
const KEPT = '2.5 GHz';
const MARKED = '张伟';

const passphrase = (user) => `pass-${user}`;

let shot = 0;
async function step(name) {
  await session.settled();
  shot += 1;
  const path = join(outputDir, `workflow-${String(shot).padStart(2, '0')}-${name}.png`);
  screenshot(path);
  console.log(`e2e: workflow ${name} ✓ (${path})`);
}

/** The next native dialog answers `path`. */
function pickNext(path) {
  writeFileSync(picks, `${path}\n`);
}



async function open(document) {
  await session.click('[data-testid=nav-inbox]');
  await session.waitFor(`[data-testid=open-${document}]`);
  await session.click(`[data-testid=open-${document}]`);
  // A PDF opens on its pages; this journey reviews it in the text view, one tab away.
  await session.waitFor(`[data-testid=workspace-review][data-document=${document}] [data-testid=counts]`);
  if ((await session.findAll('[data-testid=view-text]')).length > 0) await session.click('[data-testid=view-text]');
  await session.waitFor(`[data-testid=workspace-review][data-document=${document}] [data-testid=text]`);
  await session.waitFor(`[data-testid=sign-off][data-document=${document}] [data-testid=sign-off-state]`);
}

const openCount = async () => Number(await session.text('[data-testid=count-open]'));

/** Waits for the sign-off panel to say `state`. */
async function stateIs(state) {
  await session.waitUntil(`state ${state}`, () => session.execute(
    `return document.querySelector('[data-testid=sign-off]')?.dataset.state ?? null;`,
  ), state);
}

/** The rule that refuses `action` in the sign-off panel, or null when it is permitted. */
function ruleOf(action) {
  return session.execute(
    `return document.querySelector('[data-testid=refusal-${action}]')?.dataset.rule ?? null;`,
  );
}

/** Redacts every open finding with the keyboard: `j` to the next open one if needed, then `r`. */
async function redactTheRest() {
  for (let left = await openCount(); left > 0; left -= 1) {
    if ((await session.findAll('.finding.current[data-state=open]')).length === 0) {
      await session.keys('j');
      await session.waitFor('.finding.current[data-state=open]');
    }
    await session.keys('r');
    await session.waitUntil(`${left - 1} open`, openCount, left - 1);
  }
}

/** Signs `request` in the panel: the dialog asks the passphrase (and the comment). */
async function sign(request, user, comment = null) {
  await session.waitFor(`[data-action=${request}][data-permitted=true]`);
  await session.click(`[data-testid=signoff-${request}]`);
  await session.waitFor(`[data-testid=sign-dialog][data-request=${request}]`);
  if (comment) await session.type('[data-testid=sign-comment]', comment);
  await session.type('[data-testid=sign-passphrase]', passphrase(user));
  await session.click('[data-testid=sign-confirm]');
  await session.waitUntil('the dialog closed', async () => (await session.findAll('[data-testid=sign-dialog]')).length, 0);
}

/** Exports the open document to `path` through the save dialog; returns the result's facts. */
async function exportTo(path) {
  pickNext(path);
  await session.waitFor('[data-action=export][data-permitted=true]');
  await session.click('[data-testid=signoff-export]');
  await session.waitFor('[data-testid=export-result]', 60000);
  const facts = await session.execute(`
    const q = (s) => document.querySelector('[data-testid=export-result] ' + s);
    const kinds = [...document.querySelectorAll('[data-testid=export-result] [data-testid=removed-by-kind] li')];
    return {
      path: q('[data-testid=export-path]').textContent,
      output: q('[data-testid=output-sha256]').textContent,
      input: q('[data-testid=input-sha256]').textContent,
      kinds: Object.fromEntries(kinds.map((li) => [li.dataset.kind, Number(li.querySelector('[data-testid=count]').textContent)])),
    };`);
  assert.equal(facts.path, path);
  assert.match(facts.output, /^[0-9a-f]{64}$/);
  assert.match(facts.input, /^[0-9a-f]{64}$/);
  assert.ok(existsSync(path), `${path} was written`);
  return facts;
}

/** The head hash the audit screen shows, compared with the CLI's at the end. */
let uiHead = null;
const session = await Session.start(driverUrl, application, []);
try {
  // 1. An empty workspace: the administrator creates it...
  await session.waitFor('[data-testid=create-submit]');
  await session.click('[data-testid=language] option[value=en]');
  await session.type('[data-testid=admin-name]', 'admin');
  await session.type('[data-testid=passphrase]', passphrase('admin'));
  await session.type('[data-testid=passphrase-repeat]', passphrase('admin'));
  await session.click('[data-testid=create-submit]');
  await session.waitFor('[data-testid=inbox]');

  // ...and adds one person per role in the settings. The drafter is also an approver (of
  // other people's drafts), so that the refusal below is separation of duties, not a missing role.
  await session.click('[data-testid=nav-settings]');
  await session.waitFor('[data-testid=settings-users] [data-testid=add-user]');
  const people = [['dora', ['drafter', 'approver']], ['rita', ['reviewer']], ['alan', ['approver']], ['otto', ['auditor']]];
  for (const [name, roles] of people) {
    await session.type('[data-testid=new-user]', name);
    for (const role of roles) await session.click(`[data-testid=add-user] input[data-role=${role}]`);
    await session.type('[data-testid=new-passphrase]', passphrase(name));
    await session.click('[data-testid=add-user-submit]');
    await session.waitUntil(`${name} added`, () => session.text('[data-testid=settings-notice]'), `${name} was added.`);
  }
  await step('users-added');
  await signOut(session);

  // 2. The drafter imports the PDF and the DOCX with the import button.
  await signIn(session, 'dora', passphrase('dora'));
  for (const [draft, document] of [[PDF, 'D1'], [DOCX, 'D2']]) {
    pickNext(draft);
    await session.click('[data-testid=import]');
    await session.waitFor(`[data-testid=open-${document}]`, 60000);
  }
  await step('imported');

  // 3. Refused, and told why: the drafter may not approve what they drafted; nothing is
  // approved yet, so nothing exports.
  await open('D1');
  assert.equal(await ruleOf('approve'), 'drafter');
  assert.match(await session.text('[data-testid=refusal-approve]'), /You drafted this revision/);
  assert.equal(await ruleOf('export'), 'wrong_state');
  assert.match(await session.text('[data-testid=refusal-export]'), /State: Imported\. Possible only when the state is Approved or Exported\./);
  await step('drafter-refused');
  await signOut(session);

  // 4. The reviewer opens the PDF: every finding highlighted, "review complete" refused while
  // any is open.
  await signIn(session, 'rita', passphrase('rita'));
  await open('D1');
  const findings = await openCount();
  assert.ok(findings >= 3, `the PDF has findings (${findings})`);
  assert.ok((await session.findAll('[data-testid=text] mark[data-mark=open]')).length > 0, 'highlights');
  assert.equal(await ruleOf('submit'), 'open_findings');
  await step('review-opened');

  // j r: the first finding is redacted; K keeps the one holding KEPT, with a reason.
  await session.keys('j');
  await session.waitFor('.finding.current');
  await session.keys('r');
  await session.waitUntil('one redacted', openCount, findings - 1);
  const keptId = await session.execute(
    `return [...document.querySelectorAll('.finding[data-state=open]')].find((f) => f.textContent.includes(arguments[0]))?.dataset.findingId ?? null;`,
    [KEPT],
  );
  assert.ok(keptId, `a finding holds ${KEPT}`);
  await session.click(`[data-finding-id="${keptId}"]`);
  await session.keys('K');
  await session.waitFor('[data-testid=keep-dialog]');
  await session.type('[data-testid=keep-note]', 'the civil band, published in the tender');
  await session.keys('\uE007');
  await session.waitFor(`[data-finding-id="${keptId}"][data-state=keep]`);

  // A phrase selected by hand is marked with m.
  const selected = await selectPhrase(session, MARKED);
  assert.equal(selected, MARKED);
  await session.keys('m');
  await session.waitUntil('the phrase marked', () => session.text('[data-testid=manual-list] .quote'), MARKED);

  // The rest redacted from the keyboard; then "review complete" is offered.
  await redactTheRest();
  await session.waitFor('[data-action=submit][data-permitted=true]');
  await step('reviewed');

  // A wrong passphrase signs nothing.
  await session.click('[data-testid=signoff-submit]');
  await session.waitFor('[data-testid=sign-dialog][data-request=submit]');
  await session.type('[data-testid=sign-passphrase]', 'not my passphrase');
  await session.keys('\uE007');
  await session.waitFor('[data-testid=sign-error][data-code=authentication]');
  assert.equal(await session.text('[data-testid=sign-error]'), 'Wrong passphrase: nothing was signed.');
  await step('wrong-passphrase');
  await session.click('[data-testid=sign-cancel]');
  await stateIs('in_review');
  await sign('submit', 'rita');
  await stateIs('review_complete');
  await session.waitFor('[data-testid=signatures] li[data-kind=review_complete][data-user=rita]');
  await step('submitted');

  // The DOCX: every finding redacted from the keyboard, then signed.
  await open('D2');
  await session.keys('j');
  await session.waitFor('.finding.current');
  await redactTheRest();
  await sign('submit', 'rita');
  await stateIs('review_complete');
  await signOut(session);

  // 5. The approver: the export is refused before approval, and says why.
  await signIn(session, 'alan', passphrase('alan'));
  await open('D1');
  assert.equal(await ruleOf('export'), 'wrong_state');
  assert.match(await session.text('[data-testid=refusal-export]'), /State: Review complete\. Possible only when the state is Approved or Exported\./);
  assert.equal(await ruleOf('approve'), null, 'the approver may approve');
  await step('export-refused');

  // The redacted preview, side by side: the kept passage stays, the rest is gone.
  await session.click('[data-testid=preview-open]');
  await session.waitFor('[data-testid=preview]', 60000);
  // First as pages: the original's with what goes highlighted, the public version's drawn by
  // pdf.js from the preview's own bytes.
  await session.waitFor('[data-testid=preview-original-pages] [data-testid=pdf-pages][data-first-page-ms]', 30000);
  await session.waitFor('[data-testid=preview-redacted-pages] [data-testid=pdf-pages][data-first-page-ms]', 30000);
  await session.waitFor('[data-testid=preview-original-pages] [data-testid=page-highlight]');
  await step('preview-pages');
  // Then as text, read back by the core's reader.
  await session.click('[data-testid=preview-view-text]');
  await session.waitFor('[data-testid=preview-redacted]');
  const original = await session.text('[data-testid=preview-original]');
  const redacted = await session.text('[data-testid=preview-redacted]');
  assert.match(original, /95837部队/);
  assert.match(original, new RegExp(MARKED));
  const drawnBlack = await session.execute(
    `return [...document.querySelectorAll('[data-testid=preview-removed]')].map((m) => m.textContent);`,
  );
  assert.ok(drawnBlack.includes('95837部队') && drawnBlack.includes(MARKED), `drawn black: ${drawnBlack}`);
  assert.ok(!drawnBlack.includes(KEPT), `the kept passage is not drawn black: ${drawnBlack}`);
  assert.ok(redacted.includes(KEPT), `the preview keeps ${KEPT}: ${redacted}`);
  assert.ok(!redacted.includes('95837') && !redacted.includes(MARKED), `the preview removed the rest: ${redacted}`);
  await step('preview');
  await session.click('[data-testid=preview-close]');

  await sign('approve', 'alan', '同意公开');
  await stateIs('approved');
  await session.waitFor('[data-testid=signatures] li[data-kind=approved][data-user=alan]');
  const pdfExport = await exportTo(PDF_OUT);
  assert.ok(pdfExport.kinds.text >= 2, `passages removed: ${JSON.stringify(pdfExport.kinds)}`);
  await step('pdf-exported');
  await session.click('[data-testid=export-close]');
  await stateIs('exported');

  await open('D2');
  await sign('approve', 'alan');
  await stateIs('approved');
  const docxExport = await exportTo(DOCX_OUT);
  assert.ok(Object.keys(docxExport.kinds).length >= 2, `passages and hidden items removed: ${JSON.stringify(docxExport.kinds)}`);
  await step('docx-exported');
  await session.click('[data-testid=export-close]');
  await signOut(session);

  // 6. The auditor: read-only in the panel (told why); on the audit screen the chain verifies,
  // with its head hash, and D1's review record is written as CSV through the save dialog.
  await signIn(session, 'otto', passphrase('otto'));
  await open('D1');
  assert.equal(await ruleOf('approve'), 'oversight_role');
  await session.click('[data-testid=language] option[value=zh]');
  await session.waitUntil('the panel in Chinese', () => session.text('[data-testid=sign-off-state]'), '已导出');
  await step('auditor-chinese');
  await session.click('[data-testid=language] option[value=en]');
  await session.click('[data-testid=nav-audit]');
  await session.click('[data-testid=audit-verify]');
  await session.waitFor('[data-testid=audit-chain][data-intact=true]');
  uiHead = await session.text('[data-testid=audit-head]');
  await session.click('[data-testid=audit-scope] option[value=D1]');
  await session.waitFor('[data-testid=audit-export-csv]');
  pickNext(REPORT);
  await session.click('[data-testid=audit-export-csv]');
  await session.waitFor('[data-testid=audit-exported]');
  await step('audit');
} finally {
  await session.end();
}

// The CLI, on the same workspace, agrees with the audit screen; the record names everyone.
const env = { ...process.env, VETTED_WORKSPACE: workspace };
const chain = JSON.parse(execFileSync(cli, ['audit', 'verify', '--json'], { env, encoding: 'utf8' }));
assert.equal(chain.status, 'intact', JSON.stringify(chain));
assert.equal(chain.head, uiHead, 'the CLI and the audit screen report the same head hash');
const record = readFileSync(REPORT, 'utf8');
for (const who of ['dora', 'rita', 'alan']) assert.ok(record.includes(who), `the record names ${who}`);

// 7. Independent tools read the exports.
const pdfText = execFileSync('pdftotext', ['-enc', 'UTF-8', PDF_OUT, '-'], { encoding: 'utf8' });
assert.ok(pdfText.includes(KEPT), `pdftotext finds the kept ${KEPT}:\n${pdfText}`);
for (const gone of ['95837', MARKED, 'press@example.cn', 'SECRET//NOFORN']) {
  assert.ok(!pdfText.includes(gone), `pdftotext still finds ${gone}:\n${pdfText}`);
}
const info = execFileSync('pdfinfo', [PDF_OUT], { encoding: 'utf8' });
assert.ok(!info.includes('赵六'), `the PDF's metadata still names the author:\n${info}`);

const docxText = execFileSync(python, ['-c', `
import sys, docx
d = docx.Document(sys.argv[1])
parts = [p.text for p in d.paragraphs]
for table in d.tables:
    for row in table.rows:
        parts += [cell.text for cell in row.cells]
props = d.core_properties
parts += [props.title or '', props.author or '', props.comments or '', props.last_modified_by or '']
print('\\n'.join(parts))
`, DOCX_OUT], { encoding: 'utf8' });
assert.ok(docxText.includes('城北路'), `python-docx reads the notice:\n${docxText}`);
for (const gone of ['95837', '13800138000', '军事管理区', '张伟（保密办）']) {
  assert.ok(!docxText.includes(gone), `python-docx still finds ${gone}:\n${docxText}`);
}
console.log('e2e: workflow journey passed');
