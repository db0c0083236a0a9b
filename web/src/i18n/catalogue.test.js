// The catalogue's contract: every string id the sources use exists, every message is used,
// every translation has English's ids with the same placeholders, and no screen shows text
// that bypasses the catalogue (found by walking each .jsx file's syntax tree).
import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { parseSync } from 'rolldown/utils';
import { describe, expect, it } from 'vitest';
import en from './en.js';
import { LANGUAGES, T, pickLanguage, placeholdersOf, setLanguage, t } from './index.js';

const SRC = join(import.meta.dirname, '..');

function sourceFiles(dir = SRC) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'generated' ? [] : sourceFiles(path);
    return /\.jsx?$/.test(entry.name) && !/\.test\.jsx?$/.test(entry.name) ? [path] : [];
  });
}

// The app's sources, without the catalogues themselves (every id is quoted there).
const sources = sourceFiles()
  .map((path) => ({ path: relative(SRC, path), text: readFileSync(path, 'utf8') }))
  .filter(({ path }) => !path.startsWith('i18n/'));

// Ids written out (t('a.b'), <T id="a.b">) and ids built from a prefix (`records.kind.${k}`).
function idsUsed() {
  const literal = new Set();
  const prefixes = new Set();
  for (const { text } of sources) {
    for (const m of text.matchAll(/\bt\(\s*(['"])([\w.-]+)\1/g)) literal.add(m[2]);
    for (const m of text.matchAll(/<T\s+id=(['"])([\w.-]+)\1/g)) literal.add(m[2]);
    // Any template literal that starts like an id: t(`records.kind.${k}`), labelled(x, `state.category.${name}`).
    for (const m of text.matchAll(/`([a-z]+\.[\w.-]*\.)\$\{/g)) prefixes.add(m[1]);
  }
  return { literal, prefixes };
}

// Text a user would read: JSX text, string children and the attributes people see or hear.
const READ_ATTRIBUTES = new Set(['title', 'aria-label', 'placeholder', 'alt', 'label', 'aria-description']);
const hasWords = (s) => /\p{L}{2,}/u.test(s);
// Words that are the same in every language: the product, standards and units.
const UNTRANSLATED = new Set(['medchain', 'FHIR', 'DICOM', 'JSON', 'QR', 'PDF', 'IPS', 'MetaMask', 'HL7']);

function uncataloguedTextIn({ path, text }) {
  const found = [];
  const visit = (node, parent) => {
    if (!node || typeof node !== 'object') return;
    if (Array.isArray(node)) return node.forEach((n) => visit(n, parent));
    const where = () => `${path}:${text.slice(0, node.start).split('\n').length}`;
    if (node.type === 'JSXText' && hasWords(node.value) && !UNTRANSLATED.has(node.value.trim())) {
      found.push(`${where()} "${node.value.trim()}"`);
    }
    if (node.type === 'JSXAttribute' && READ_ATTRIBUTES.has(node.name?.name)) {
      const value = node.value?.type === 'JSXExpressionContainer' ? node.value.expression : node.value;
      if (value?.type === 'Literal' && typeof value.value === 'string' && hasWords(value.value)) found.push(`${where()} ${node.name.name}="${value.value}"`);
      if (value?.type === 'TemplateLiteral' && value.quasis.some((q) => hasWords(q.value.raw))) found.push(`${where()} ${node.name.name}={\`…\`}`);
    }
    if (node.type === 'JSXExpressionContainer' && parent?.type === 'JSXElement') {
      const e = node.expression;
      if (e?.type === 'Literal' && typeof e.value === 'string' && hasWords(e.value)) found.push(`${where()} {"${e.value}"}`);
      if (e?.type === 'TemplateLiteral' && e.quasis.some((q) => hasWords(q.value.raw))) found.push(`${where()} {\`…\`}`);
    }
    for (const [key, child] of Object.entries(node)) if (key !== 'parent') visit(child, node);
  };
  visit(parseSync(path, text).program, null);
  return found;
}

describe('the UI string catalogue', () => {
  it('has every id the sources use', () => {
    const { literal, prefixes } = idsUsed();
    expect([...literal].filter((id) => !(id in en))).toEqual([]);
    for (const prefix of prefixes) expect(Object.keys(en).some((id) => id.startsWith(prefix)), prefix).toBe(true);
  });

  it('has no message the sources do not use', () => {
    const { literal, prefixes } = idsUsed();
    // An id kept as data (a tab's label: 'patient.tab.records', later t(tab.label)) counts as used.
    const quoted = (id) => sources.some(({ text }) => text.includes(`'${id}'`) || text.includes(`"${id}"`));
    const unused = Object.keys(en).filter((id) => !literal.has(id) && !quoted(id) && ![...prefixes].some((p) => id.startsWith(p)));
    expect(unused).toEqual([]);
  });

  it('gives plural messages an "other" form and every form the same placeholders', () => {
    for (const [id, message] of Object.entries(en)) {
      if (typeof message === 'string') continue;
      expect(message.other, id).toBeTypeOf('string');
      const forms = Object.values(message).map((form) => placeholdersOf(form).join());
      expect(new Set(forms).size, id).toBe(1);
    }
  });

  it('holds every translation to English ids and placeholders', () => {
    for (const [language, catalogue] of Object.entries(LANGUAGES)) {
      expect(Object.keys(catalogue).sort(), language).toEqual(Object.keys(en).sort());
      for (const [id, message] of Object.entries(en)) {
        expect(placeholdersOf(catalogue[id]), `${language} ${id}`).toEqual(placeholdersOf(message));
      }
    }
  });

  it('leaves no readable text outside it on any screen', () => {
    const offending = sources.filter((s) => s.path.endsWith('.jsx')).flatMap(uncataloguedTextIn);
    expect(offending).toEqual([]);
  });
});

describe('t and T', () => {
  it('fills placeholders and picks the plural form by count', () => {
    expect(t('patient.key.rotated', { derivation: 'generation 2', count: 1 })).toBe('Encryption key rotated to generation 2; 1 record key sealed to it');
    expect(t('patient.key.rotated', { derivation: 'generation 2', count: 3 })).toMatch(/3 record keys sealed/);
    expect(() => t('patient.key.rotated', { derivation: 'x' })).toThrow(/numeric count/);
  });

  it('refuses an id no catalogue has instead of showing it', () => {
    expect(() => t('no.such.string')).toThrow(/no UI string/);
  });

  it('puts elements into a sentence without splitting it', () => {
    const sentence = T({ id: 'patient.key.rotated', values: { derivation: createElement('b', null, 'generation 2'), count: 2 } });
    expect(renderToStaticMarkup(sentence)).toBe('Encryption key rotated to <b>generation 2</b>; 2 record keys sealed to it');
  });

  it('chooses a language the browser prefers when there is a catalogue for it', () => {
    expect(pickLanguage(['xx-YY', 'en-GB'])).toBe('en');
    expect(pickLanguage(['xx'])).toBe('en');
    expect(setLanguage('xx')).toBe('en');
  });
});
