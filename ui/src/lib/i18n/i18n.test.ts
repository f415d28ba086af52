import { describe, expect, test } from 'vitest';
import { en } from './en';
import { zh } from './zh';
import { format } from './index.svelte';

function placeholders(message: string): string[] {
  return [...message.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
}

describe('catalogs', () => {
  test('English and Chinese have exactly the same keys', () => {
    expect(Object.keys(zh).sort()).toEqual(Object.keys(en).sort());
  });

  test('every message is translated, not empty', () => {
    for (const [key, message] of Object.entries(zh)) expect(message.trim(), key).not.toBe('');
    for (const [key, message] of Object.entries(en)) expect(message.trim(), key).not.toBe('');
  });

  test('each translation uses the same placeholders as the English', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) {
      expect(placeholders(zh[key]), key).toEqual(placeholders(en[key]));
    }
  });

  test('every error code the core can send has a message', () => {
    const codes = [
      'io', 'unsupported_format', 'malformed', 'encrypted', 'limit_exceeded', 'hostile', 'rules',
      'redaction_unsafe', 'verification_failed', 'workspace', 'authentication', 'forbidden',
      'invalid_state', 'not_found', 'invalid_input', 'tampered',
    ];
    for (const code of codes) expect(Object.keys(en), code).toContain(`error.${code}`);
  });
});

describe('format', () => {
  const check = (template: string, params: Record<string, string | number>, expected: string) =>
    expect(format(template, params)).toBe(expected);

  test('fills placeholders and leaves unknown ones visible', () => {
    check('Press {key}.', { key: 'o' }, 'Press o.');
    check('{count} of {count}', { count: 3 }, '3 of 3');
    check('at {location}', {}, 'at {location}');
    check('no placeholders', { key: 'x' }, 'no placeholders');
  });
});
