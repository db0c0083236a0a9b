// The UI's strings: every sentence the web app shows comes from a catalogue, one file per
// language (en.js is the reference), so a second language is one more file listed in LANGUAGES.
//
// A message is a string with {name} placeholders, or, where the sentence depends on a count,
// an object of Intl.PluralRules categories ({ one: '…', other: '…' }) chosen by values.count.
// t() returns a string (for attributes, toasts and errors); <T> interpolates React elements
// (a link, a <DoctorName/>) into a sentence without splitting it into fragments a translator
// could not reorder.
import { Fragment, createElement } from 'react';
import en from './en.js';

export const LANGUAGES = { en };

let language = 'en';
let catalogue = en;
let pluralRules = new Intl.PluralRules('en');

// The first of the browser's preferred languages that has a catalogue; English otherwise.
export function pickLanguage(preferred = []) {
  for (const tag of preferred) {
    const base = String(tag).toLowerCase().split('-')[0];
    if (LANGUAGES[base]) return base;
  }
  return 'en';
}

export function setLanguage(tag) {
  language = LANGUAGES[tag] ? tag : 'en';
  catalogue = LANGUAGES[language];
  pluralRules = new Intl.PluralRules(language);
  if (typeof document !== 'undefined') document.documentElement.lang = language;
  return language;
}

export const currentLanguage = () => language;

// The message for an id in the current language, falling back to English for an id a
// translation lacks. An id no catalogue has is a programming error: the catalogue test
// (catalogue.test.js) finds every id the sources use, so this throws rather than showing it.
function messageFor(id, values) {
  const message = catalogue[id] ?? en[id];
  if (message === undefined) throw new Error(`no UI string "${id}"`);
  if (typeof message === 'string') return message;
  const count = values?.count;
  if (typeof count !== 'number') throw new Error(`UI string "${id}" needs a numeric count`);
  return message[pluralRules.select(count)] ?? message.other;
}

const PLACEHOLDER = /\{(\w+)\}/g;

export function t(id, values = {}) {
  return messageFor(id, values).replace(PLACEHOLDER, (whole, name) => (name in values ? String(values[name]) : whole));
}

// <T id="…" values={{ doctor: <DoctorName address={a} /> }} />: a sentence with elements in it.
export function T({ id, values = {} }) {
  const parts = messageFor(id, values).split(PLACEHOLDER);
  // split() with one capture group alternates text and placeholder names.
  return createElement(
    Fragment,
    null,
    ...parts.map((part, i) => {
      if (i % 2 === 0) return part;
      const value = values[part];
      if (value === undefined) return `{${part}}`;
      return typeof value === 'object' ? createElement(Fragment, { key: i }, value) : String(value);
    }),
  );
}

export const placeholdersOf = (message) => {
  const texts = typeof message === 'string' ? [message] : Object.values(message);
  return [...new Set(texts.flatMap((text) => [...text.matchAll(PLACEHOLDER)].map((m) => m[1])))].sort();
};
