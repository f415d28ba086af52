// Run-time language switching. Components call `t(key)` inside their markup; because `locale`
// is reactive state, every string re-renders when the language changes.
import { en, type MessageKey } from './en';
import { zh } from './zh';

export type Locale = 'en' | 'zh';
export const LOCALES: Locale[] = ['en', 'zh'];
export const LOCALE_NAMES: Record<Locale, string> = { en: 'English', zh: '简体中文' };

const catalogs: Record<Locale, Record<MessageKey, string>> = { en, zh };
const STORAGE_KEY = 'vetted.locale';

function initialLocale(): Locale {
  const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh') return stored;
  return globalThis.navigator?.language?.startsWith('zh') ? 'zh' : 'en';
}

const current = $state({ locale: initialLocale() });

export function locale(): Locale {
  return current.locale;
}

export function setLocale(locale: Locale): void {
  current.locale = locale;
  globalThis.localStorage?.setItem(STORAGE_KEY, locale);
  if (globalThis.document) globalThis.document.documentElement.lang = locale === 'zh' ? 'zh-Hans' : 'en';
}

/** The message `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  return format(catalogs[current.locale][key], params);
}

/** Like `t`, for keys built at run time (a category or hidden-item kind from the core):
 * falls back to `fallback` when the catalog has no such key. */
export function tOr(key: string, fallback: string): string {
  const catalog = catalogs[current.locale] as Record<string, string>;
  return catalog[key] ?? fallback;
}

export function format(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}
