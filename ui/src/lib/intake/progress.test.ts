import { describe, expect, test } from 'vitest';
import { shown, track, type Running } from './progress';

const event = (task: string, done: number, total: number, label = '') => ({ task, done, total, label });

function after(...events: ReturnType<typeof event>[]): Running {
  return events.reduce(track, {} as Running);
}

describe('track', () => {
  test('keeps the latest event of each task and forgets a task once done reaches total', () => {
    expect(after(event('import', 0, 3, 'a.pdf'), event('import', 1, 3, 'b.pdf'))).toEqual({
      import: event('import', 1, 3, 'b.pdf'),
    });
    expect(after(event('import', 0, 2), event('import', 2, 2))).toEqual({});
    expect(after(event('import', 0, 2), event('scan', 0, 5), event('import', 2, 2))).toEqual({
      scan: event('scan', 0, 5),
    });
  });

  test('a task of unknown length (total 0) runs until a later event ends it', () => {
    expect(after(event('open', 0, 0))).toEqual({ open: event('open', 0, 0) });
  });
});

describe('shown', () => {
  const check = (running: Running, expected: ReturnType<typeof shown>) => expect(shown(running)).toEqual(expected);

  test('nothing running shows nothing', () => check({}, null));
  test('one task shows its fraction and label', () =>
    check(after(event('import', 1, 4, 'b.pdf')), { task: 'import', fraction: 0.25, done: 1, total: 4, label: 'b.pdf' }));
  test('two tasks show the first by name, whatever arrived last', () =>
    check(after(event('scan', 1, 2), event('import', 0, 2)), { task: 'import', fraction: 0, done: 0, total: 2, label: '' }));
  test('an unknown total shows an empty bar', () =>
    check(after(event('open', 3, 0)), { task: 'open', fraction: 0, done: 3, total: 0, label: '' }));
});
