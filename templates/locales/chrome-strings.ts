// The templates' own words (the chrome around the editor's text) in each locale, read from the JSON
// files beside this one; templates, the composer and the public pages all take them from here.

import type { Locale } from '../../src/issue/schema.ts';
import en from './chrome.en.json' with { type: 'json' };
import ja from './chrome.ja.json' with { type: 'json' };
import ko from './chrome.ko.json' with { type: 'json' };
import zh from './chrome.zh.json' with { type: 'json' };

/** The chrome strings of an issue (everything that is not editor text), in one locale. */
export type IssueStrings = typeof ja.issue;

const ISSUE_STRINGS: Record<Locale, IssueStrings> = {
  ja: ja.issue,
  en: en.issue,
  ko: ko.issue,
  zh: zh.issue,
};

/** Chrome strings for `locale`. */
export function issueStrings(locale: Locale): IssueStrings {
  return ISSUE_STRINGS[locale];
}

/** Fills `{name}`-style slots in a chrome string. */
export function fill(template: string, values: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (slot, key: string) => String(values[key] ?? slot));
}

/** "2021年11月", "November 2021", "2021년 11월", "2021年11月" (zh) from "2021-11". */
export function formatMonth(month: string, locale: Locale): string {
  const [year, mon] = month.split('-').map(Number);
  const date = new Date(Date.UTC(year ?? 1970, (mon ?? 1) - 1, 1));
  return new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(date);
}

/** The subscriber-facing strings (pages and the confirmation mail) of one locale. */
export type PageStrings = typeof en.pages;

// Typed against the English file: a key missing from another locale is a type error.
const STRINGS: Record<Locale, PageStrings> = { ja: ja.pages, en: en.pages, ko: ko.pages, zh: zh.pages };

/** The subscriber-facing strings for `locale`. */
export function pageStrings(locale: Locale): PageStrings {
  return STRINGS[locale];
}

/** The desk's notification mails' strings of one locale (review requested, approved, send finished). */
export type DeskMailStrings = typeof en.deskMail;

const DESK_MAIL: Record<Locale, DeskMailStrings> = {
  ja: ja.deskMail,
  en: en.deskMail,
  ko: ko.deskMail,
  zh: zh.deskMail,
};

/** The desk's notification mails' strings for `locale`. */
export function deskMailStrings(locale: Locale): DeskMailStrings {
  return DESK_MAIL[locale];
}

/** The mails that set a desk account's password (a reset, an invitation), in one locale. */
export type AccountMailStrings = typeof en.accountMail;

const ACCOUNT_MAIL: Record<Locale, AccountMailStrings> = {
  ja: ja.accountMail,
  en: en.accountMail,
  ko: ko.accountMail,
  zh: zh.accountMail,
};

/** The account mails' strings for `locale`. */
export function accountMailStrings(locale: Locale): AccountMailStrings {
  return ACCOUNT_MAIL[locale];
}
