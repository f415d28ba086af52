// A plain W3C WebDriver client over fetch: just what the journeys need, nothing hidden.
// tauri-driver forwards these requests to WebKitWebDriver, which drives the app's real webview.
import { execFileSync } from 'node:child_process';

const ELEMENT = 'element-6066-11e4-a52e-4f735466cecf';

export class WebDriverError extends Error {}

async function request(base, method, path, body) {
  const response = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const payload = await response.json().catch(() => ({}));
  if (!response.ok) {
    const v = payload.value ?? {};
    throw new WebDriverError(`${method} ${path}: ${v.error ?? response.status}: ${v.message ?? ''}`);
  }
  return payload.value;
}

export class Session {
  constructor(base, id) {
    this.base = base;
    this.id = id;
  }

  /** Starts the app at the absolute path `application` with `args`. */
  static async start(base, application, args = []) {
    const value = await request(base, 'POST', '/session', {
      capabilities: { alwaysMatch: { 'tauri:options': { application, args } } },
    });
    return new Session(base, value.sessionId);
  }

  call(method, path, body) {
    return request(this.base, method, `/session/${this.id}${path}`, body);
  }

  async end() {
    await this.call('DELETE', '');
  }

  async find(css) {
    const value = await this.call('POST', '/element', { using: 'css selector', value: css });
    return value[ELEMENT];
  }

  async findAll(css) {
    const value = await this.call('POST', '/elements', { using: 'css selector', value: css });
    return value.map((v) => v[ELEMENT]);
  }

  /** Waits until `css` matches an element, polling; fails after `timeoutMs` naming the selector. */
  async waitFor(css, timeoutMs = 20000) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await this.findAll(css);
      if (found.length > 0) return found[0];
      if (Date.now() > deadline) throw new WebDriverError(`timed out after ${timeoutMs} ms waiting for ${css}`);
      await sleep(150);
    }
  }

  /** Waits until `read()` returns `expected` (compared as JSON), failing with the last value. */
  async waitUntil(what, read, expected, timeoutMs = 10000) {
    const deadline = Date.now() + timeoutMs;
    let last;
    for (;;) {
      // An element that is not there yet is a value to wait past, not a failure.
      last = await read().catch((error) => `(${error.message})`);
      if (JSON.stringify(last) === JSON.stringify(expected)) return;
      if (Date.now() > deadline) {
        const banner = await this.execute(`return document.querySelector('[data-testid=error]')?.textContent ?? null;`);
        throw new WebDriverError(
          `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(last)}` +
            (banner ? `; the app shows the error: ${banner.trim()}` : ''),
        );
      }
      await sleep(150);
    }
  }

  async text(css) {
    return this.call('GET', `/element/${await this.find(css)}/text`);
  }

  /** Types `text` into the element matching `css` (an input or textarea). */
  async type(css, text) {
    await this.call('POST', `/element/${await this.find(css)}/value`, { text });
  }

  async click(css) {
    await this.call('POST', `/element/${await this.find(css)}/click`, {});
  }

  /** Types keys the way a person does, through the WebDriver input pipeline (real key events
   * at the focused element), not by dispatching synthetic DOM events. */
  async keys(text) {
    const actions = [];
    for (const key of text) actions.push({ type: 'keyDown', value: key }, { type: 'keyUp', value: key });
    await this.call('POST', '/actions', { actions: [{ type: 'key', id: 'keyboard', actions }] });
    await this.call('DELETE', '/actions');
  }

  async execute(script, args = []) {
    return this.call('POST', '/execute/sync', { script, args });
  }

  async executeAsync(script, args = []) {
    return this.call('POST', '/execute/async', { script, args });
  }

  /** Waits until the webview has painted its current state: fonts loaded, then two animation
   * frames (the first runs before the next paint, the second after it). Without this, an
   * X-level screenshot can show a frame from before the last DOM change. */
  async settled() {
    await this.executeAsync(`
      const done = arguments[arguments.length - 1];
      document.fonts.ready.then(() => requestAnimationFrame(() => requestAnimationFrame(() => done(true))));`);
    await sleep(200);
  }
}

export function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Saves the whole X screen as a PNG: WebDriver's own screenshot returned stale frames under
 * Xvfb (see the project's Tauri notes), the X server's does not. */
export function screenshot(path) {
  execFileSync('/usr/bin/import', ['-window', 'root', path], { stdio: 'inherit' });
}
