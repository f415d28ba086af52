// Every main screen, in English and in 简体中文, on a workspace holding the sample drafts: the
// sign-in, the inbox, a PDF's review on its pages, a DOCX's review with its hidden items, a
// photo with its EXIF and GPS, the redacted preview beside the original, the audit with the
// chain verified, and the settings. Each screen is asserted to be there in the chosen language
// (its heading in that language, no message key shown raw), then photographed; the set is what
// docs/screenshots/ holds (`scripts/screenshots.sh` copies it there).
//
// Usage: node screens.mjs ABSOLUTE_APP_PATH OUTPUT_DIR, with VETTED_WORKSPACE naming an empty
// directory (also in the environment of the tauri-driver that starts the app) and VETTED_CLI
// the `vetted` binary, which seeds the workspace. Screenshots: OUTPUT_DIR/screens/LANG-NN-name.png.
import { strict as assert } from 'node:assert';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session, screenshot } from './webdriver.mjs';
import { signIn, signOut } from './steps.mjs';

const [application, outputDir] = process.argv.slice(2);
const { VETTED_WORKSPACE: workspace, VETTED_CLI: cli } = process.env;
if (!application || !outputDir || !workspace || !cli) {
  console.error('usage: VETTED_WORKSPACE=DIR VETTED_CLI=PATH node screens.mjs ABSOLUTE_APP_PATH OUTPUT_DIR');
  process.exit(2);
}
const driverUrl = process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444';
const shots = join(outputDir, 'screens');
mkdirSync(shots, { recursive: true });
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const samples = join(root, 'assets', 'samples');

// The workspace, seeded with the CLI: one user per role, four sample drafts, and the DOCX
// reviewed and signed "review complete" so that its approver has a preview to read.
const passphrase = (user) => `demo-${user}`;
function vetted(args, user) {
  const env = { ...process.env, VETTED_WORKSPACE: workspace, VETTED_PASSPHRASE: passphrase(user ?? 'admin') };
  return execFileSync(cli, args, { env, encoding: 'utf8' });
}
execFileSync(cli, ['init', '--admin', 'admin'], {
  env: { ...process.env, VETTED_WORKSPACE: workspace, VETTED_NEW_PASSPHRASE: passphrase('admin') },
});
for (const [name, role] of [['dora', 'drafter'], ['rita', 'reviewer'], ['alex', 'approver'], ['otto', 'auditor']]) {
  execFileSync(cli, ['user', 'add', name, '--role', role, '--as', 'admin'], {
    env: { ...process.env, VETTED_WORKSPACE: workspace, VETTED_PASSPHRASE: passphrase('admin'), VETTED_NEW_PASSPHRASE: passphrase(name) },
  });
}
const DRAFTS = ['新闻稿-草稿.pdf', '信息公开-草稿.docx', 'site-photo.jpg', '采购公告-草稿.txt'];
for (const draft of DRAFTS) vetted(['import', join(samples, draft), '--as', 'dora'], 'dora');
const [PDF, DOCX, PHOTO] = ['D1', 'D2', 'D3'];
vetted(['decide', DOCX, '--redact', 'all', '--as', 'rita'], 'rita');
vetted(['submit', DOCX, '--as', 'rita'], 'rita');

/** A heading (or label) of each screen in each language, read from the catalogues' values. */
const WORDS = {
  en: { signIn: 'Sign in', inbox: 'Inbox', audit: 'Audit', settings: 'Settings' },
  zh: { signIn: '登录', inbox: '收件箱', audit: '审计', settings: '设置' },
};

/** Every message key of the UI's catalogue (the English one; the Chinese has the same keys). */
const MESSAGE_KEYS = [...readFileSync(join(root, 'ui', 'src', 'lib', 'i18n', 'en.ts'), 'utf8')
  .matchAll(/^\s*'([a-z_]+(?:\.[a-z_0-9]+)+)':/gm)].map((m) => m[1]);
assert.ok(MESSAGE_KEYS.length > 100, `read ${MESSAGE_KEYS.length} message keys`);

let session;
let shot = 0;
async function photograph(lang, name) {
  await session.settled();
  // No message key may reach the screen untranslated (`review.keys.next`...): none of the
  // catalogue's keys appears in the text. The audit timeline is left out: it shows each entry's
  // payload exactly as recorded, and the core records hidden-item kinds such as `hidden.author`.
  const text = await session.execute(`
    const page = document.body.cloneNode(true);
    page.querySelectorAll('[data-testid=audit-table]').forEach((table) => table.remove());
    return page.textContent;`);
  const rawKeys = MESSAGE_KEYS.filter((key) => text.includes(key));
  assert.deepEqual(rawKeys, [], `${lang} ${name}: message keys shown raw`);
  shot += 1;
  const path = join(shots, `${lang}-${String(shot).padStart(2, '0')}-${name}.png`);
  screenshot(path);
  console.log(`e2e: screens ${lang} ${name} ✓ (${path})`);
}

async function language(lang) {
  await session.click(`[data-testid=language] option[value=${lang}]`);
  await session.waitUntil(`the page in ${lang}`, () => session.execute('return document.documentElement.lang;'), lang === 'zh' ? 'zh-Hans' : 'en');
}



async function open(document) {
  await session.click('[data-testid=nav-inbox]');
  await session.waitFor(`[data-testid=open-${document}]`);
  await session.click(`[data-testid=open-${document}]`);
  await session.waitFor(`[data-testid=workspace-review][data-document=${document}] [data-testid=counts]`);
}

session = await Session.start(driverUrl, application);
try {
  for (const lang of ['en', 'zh']) {
    const words = WORDS[lang];
    shot = 0;
    await session.waitFor('[data-testid=sign-in-submit]');
    await language(lang);
    assert.equal(await session.text('[data-testid=sign-in-submit]'), words.signIn);
    await photograph(lang, 'sign-in');

    // The reviewer: the inbox, then each kind of document under review.
    await signIn(session, 'rita', passphrase('rita'));
    await session.waitFor(`[data-testid=open-${PDF}]`);
    assert.equal(await session.text('[data-testid=nav-inbox]'), words.inbox);
    await photograph(lang, 'inbox');
    await open(PDF);
    await session.waitFor('[data-testid=pdf-pages] [data-testid=page][data-page="1"][data-painted]', 30000);
    await session.waitFor('[data-testid=page-highlight]');
    await photograph(lang, 'review-pdf-pages');
    await open(DOCX);
    await session.waitFor('[data-testid=text] .hl');
    await photograph(lang, 'review-docx-text');
    await open(PHOTO);
    await session.waitFor('[data-testid=photo-gps]', 30000);
    await photograph(lang, 'review-photo');
    await signOut(session);

    // The approver reads the redacted preview of the reviewed DOCX beside the original.
    await signIn(session, 'alex', passphrase('alex'));
    await open(DOCX);
    await session.click('[data-testid=preview-open]');
    await session.waitFor('[data-testid=preview]', 60000);
    if ((await session.findAll('[data-testid=preview-view-text]')).length > 0) await session.click('[data-testid=preview-view-text]');
    await session.waitFor('[data-testid=preview-redacted] [data-testid=preview-removed], [data-testid=preview-original] [data-testid=preview-removed]');
    await photograph(lang, 'preview');
    await session.click('[data-testid=preview-close]');
    await photograph(lang, 'sign-off');
    await signOut(session);

    // The auditor verifies the chain.
    await signIn(session, 'otto', passphrase('otto'));
    await session.click('[data-testid=nav-audit]');
    assert.equal(await session.text('[data-testid=nav-audit]'), words.audit);
    await session.click('[data-testid=audit-verify]');
    await session.waitFor('[data-testid=audit-chain][data-intact=true]');
    await photograph(lang, 'audit');
    await signOut(session);

    // The administrator's settings.
    await signIn(session, 'admin', passphrase('admin'));
    await session.click('[data-testid=nav-settings]');
    await session.waitFor('[data-testid=settings-users]');
    assert.equal(await session.text('[data-testid=nav-settings]'), words.settings);
    await photograph(lang, 'settings');
    await signOut(session);
  }
} finally {
  await session.end();
}
console.log('e2e: screens journey passed');
