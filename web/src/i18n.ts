/**
 * UI text in Japanese (default) and English. The tables live in web/src/i18n/, one file per page
 * family (keys by prefix: `people.*` in people.ts, …); each file's `en` is typed against its own `ja`,
 * and the assembled `en` below against the assembled `ja`, so a key added to one language and
 * forgotten in the other fails the type check instead of showing a raw key to a user.
 * Placeholders are written {name} and filled by `t(key, { name })`.
 */
import {
  createContext,
  createElement,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useState,
  type ReactNode,
} from 'react';
import * as commonTexts from './i18n/common';
import * as vocabTexts from './i18n/vocab';
import * as peopleTexts from './i18n/people';
import * as adminTexts from './i18n/admin';
import * as publicTexts from './i18n/public';
import * as consultationsTexts from './i18n/consultations';
import * as eventsTexts from './i18n/events';
import * as analyticsTexts from './i18n/analytics';
import * as kpiTexts from './i18n/kpi';
import * as matchingTexts from './i18n/matching';
import * as outreachTexts from './i18n/outreach';
import * as supportersTexts from './i18n/supporters';

/** The whole table, assembled from the page families in web/src/i18n/ (one file per family). */
export const ja = {
  ...commonTexts.ja,
  ...vocabTexts.ja,
  ...peopleTexts.ja,
  ...adminTexts.ja,
  ...publicTexts.ja,
  ...consultationsTexts.ja,
  ...eventsTexts.ja,
  ...analyticsTexts.ja,
  ...kpiTexts.ja,
  ...matchingTexts.ja,
  ...outreachTexts.ja,
  ...supportersTexts.ja,
};

export type MessageKey = keyof typeof ja;

export const en: { [K in MessageKey]: string } = {
  ...commonTexts.en,
  ...vocabTexts.en,
  ...peopleTexts.en,
  ...adminTexts.en,
  ...publicTexts.en,
  ...consultationsTexts.en,
  ...eventsTexts.en,
  ...analyticsTexts.en,
  ...kpiTexts.en,
  ...matchingTexts.en,
  ...outreachTexts.en,
  ...supportersTexts.en,
};

export type Lang = 'ja' | 'en';
export const LANGS: readonly Lang[] = ['ja', 'en'];
const dictionaries: Record<Lang, { [K in MessageKey]: string }> = { ja, en };
const STORAGE_KEY = 'kankei.lang';

export type TranslateVars = Record<string, string | number>;
export type Translate = (key: MessageKey, vars?: TranslateVars) => string;

export function translate(lang: Lang, key: MessageKey, vars?: TranslateVars): string {
  const text = dictionaries[lang][key];
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in vars ? String(vars[name]) : whole));
}

function readStoredLang(): Lang {
  try {
    const stored = globalThis.localStorage?.getItem(STORAGE_KEY);
    return stored === 'en' ? 'en' : 'ja';
  } catch {
    // Storage can be blocked (private mode, policies); Japanese is the default anyway.
    return 'ja';
  }
}

/**
 * The language outside React, for the API client's Accept-Language header. Kept in step with the
 * provider's state so a request sent right after switching already asks for the new language.
 */
let currentLang: Lang = readStoredLang();
export function getCurrentLang(): Lang {
  return currentLang;
}

type LangContextValue = { lang: Lang; setLang: (lang: Lang) => void };
const LangContext = createContext<LangContextValue>({ lang: 'ja', setLang: () => {} });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(currentLang);

  const setLang = useCallback((next: Lang) => {
    currentLang = next;
    try {
      localStorage.setItem(STORAGE_KEY, next);
    } catch {
      // Not persisted; the switch still applies to this tab.
    }
    setLangState(next);
  }, []);

  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);

  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return createElement(LangContext.Provider, { value }, children);
}

export function useLang(): LangContextValue {
  return useContext(LangContext);
}

export function useT(): Translate {
  const { lang } = useLang();
  return useCallback<Translate>((key, vars) => translate(lang, key, vars), [lang]);
}

/** Date-time in the UI language; empty input gives the em dash used for missing values. */
export function formatDateTime(iso: string | null | undefined, lang: Lang): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(lang === 'ja' ? 'ja-JP' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(date);
}

export function formatNumber(value: number, lang: Lang): string {
  return new Intl.NumberFormat(lang === 'ja' ? 'ja-JP' : 'en-GB').format(value);
}
