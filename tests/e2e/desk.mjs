// The second journey, in the real webview: first run on an empty workspace. The administrator
// creates the workspace, adds a drafter (in the settings screen) and signs out; a wrong passphrase is refused with the
// stable error code; the drafter signs in and sees the (empty) inbox with the import button,
// and no settings.
//
// Usage: node desk.mjs ABSOLUTE_APP_PATH OUTPUT_DIR  (VETTED_WORKSPACE names an empty
// directory; scripts/e2e.sh sets it). Screenshots: OUTPUT_DIR/desk-NN-step.png.
import { strict as assert } from 'node:assert';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Session, screenshot } from './webdriver.mjs';

const [application, outputDir] = process.argv.slice(2);
if (!application || !outputDir) {
  console.error('usage: node desk.mjs ABSOLUTE_APP_PATH OUTPUT_DIR');
  process.exit(2);
}
const driverUrl = process.env.E2E_DRIVER_URL ?? 'http://127.0.0.1:4444';
mkdirSync(outputDir, { recursive: true });

const session = await Session.start(driverUrl, application, []);
let shot = 0;
async function step(name) {
  await session.settled();
  shot += 1;
  const path = join(outputDir, `desk-${String(shot).padStart(2, '0')}-${name}.png`);
  screenshot(path);
  console.log(`e2e: desk ${name} ✓ (${path})`);
}

try {
  // 1. An empty workspace asks for its first administrator. (The journey before this one left
  // the interface in Chinese; this one reads English.)
  await session.waitFor('[data-testid=create-submit]');
  await session.click('[data-testid=language] option[value=en]');
  await session.waitUntil('English', () => session.text('[data-testid=create-submit]'), 'Create the workspace');
  await step('first-run');

  // 2. The administrator creates it and is signed in, with user administration at hand.
  await session.type('[data-testid=admin-name]', 'admin');
  await session.type('[data-testid=passphrase]', 'correct horse battery');
  await session.type('[data-testid=passphrase-repeat]', 'correct horse battery');
  await session.click('[data-testid=create-submit]');
  await session.waitFor('[data-testid=inbox]');
  assert.equal(await session.text('[data-testid=signed-in]'), 'Signed in as admin');
  assert.equal((await session.findAll('[data-testid=import]')).length, 0, 'an admin cannot import');

  // 3. ...adds a drafter in the settings screen...
  await session.click('[data-testid=nav-settings]');
  await session.waitFor('[data-testid=add-user]');
  await session.type('[data-testid=new-user]', 'li');
  await session.click('[data-testid=add-user] input[data-role=drafter]');
  await session.type('[data-testid=new-passphrase]', 'drafter passphrase');
  await session.click('[data-testid=add-user-submit]');
  await session.waitUntil('confirmation', () => session.text('[data-testid=settings-notice]'), 'li was added.');
  await step('user-added');

  // 4. ...and signs out: the sign-in form lists both users.
  await session.click('[data-testid=sign-out]');
  await session.waitFor('[data-testid=sign-in-submit]');
  const users = await session.execute(
    `return [...document.querySelectorAll('[data-testid=user] option')].map((o) => o.value);`,
  );
  assert.deepEqual(users, ['admin', 'li']);

  // 5. A wrong passphrase is refused with the stable code, not a guessable message.
  await session.click('[data-testid=user] option[value=li]');
  await session.type('[data-testid=passphrase]', 'not it');
  await session.click('[data-testid=sign-in-submit]');
  await session.waitFor('[data-testid=error][data-code=authentication]');
  await step('refused');

  // 6. The drafter signs in: an empty inbox with the import button and no user administration.
  await session.type('[data-testid=passphrase]', 'drafter passphrase');
  await session.click('[data-testid=sign-in-submit]');
  await session.waitFor('[data-testid=inbox]');
  assert.equal(await session.text('[data-testid=signed-in]'), 'Signed in as li');
  await session.waitFor('[data-testid=import]');
  await session.waitFor('[data-testid=inbox-empty]');
  assert.equal((await session.findAll('[data-testid=nav-settings]')).length, 0, 'a drafter has no settings');
  await step('drafter-inbox');
} finally {
  await session.end();
}
console.log('e2e: desk journey passed');
