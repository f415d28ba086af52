// Steps the journeys take the same way: signing in and out at the desk, selecting a phrase.
import { strict as assert } from 'node:assert';

/** Signs `user` in with `passphrase`, in either language. The user list arrives with the desk
 * status after the form is drawn, so the step waits for the user's option rather than for the
 * form alone; the wait after submitting is generous because the passphrase hash is slow on
 * purpose and a CI machine may be busy. A refusal fails the step with the app's own message. */
export async function signIn(session, user, passphrase) {
  await session.waitFor(`[data-testid=user] option[value="${user}"]`);
  await session.click(`[data-testid=user] option[value="${user}"]`);
  await session.type('[data-testid=passphrase]', passphrase);
  await session.click('[data-testid=sign-in-submit]');
  await session.waitFor('[data-testid=signed-in], [data-testid=error]', 60000);
  const refused = await session.findAll('[data-testid=error]');
  if (refused.length > 0) throw new Error(`sign-in as ${user} failed: ${await session.text('[data-testid=error]')}`);
  const banner = await session.text('[data-testid=signed-in]');
  assert.ok(banner.includes(user), `signed in as ${user}: the header says "${banner}"`);
}

/** Signs the current user out and waits for the sign-in form. */
export async function signOut(session) {
  await session.click('[data-testid=sign-out]');
  await session.waitFor('[data-testid=sign-in-submit]');
}

/** Selects the first occurrence of `phrase` in the text view, as a mouse drag would, and
 * returns the text the selection holds (`null` when the phrase is not there). */
export function selectPhrase(session, phrase) {
  return session.execute(
    `const phrase = arguments[0];
    const pane = document.querySelector('[data-testid=text]');
    const walker = document.createTreeWalker(pane, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const at = node.data.indexOf(phrase);
      if (at < 0) continue;
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + phrase.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      return selection.toString();
    }
    return null;`,
    [phrase],
  );
}
