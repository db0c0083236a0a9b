// The consent vocabulary's labels are read from the UI catalogue each time they are shown, so a
// language chosen after the module loaded applies to them (the lists are built once, at load).
import { afterEach, describe, expect, it } from 'vitest';
import en from '../i18n/en.js';
import { LANGUAGES, setLanguage } from '../i18n/index.js';
import { CATEGORIES, DURATIONS, REASON_CODES, REQUEST_REASONS, categoryLabel } from './scopes.js';
import { describeFeedMessage } from '../api/feed.js';

// A second language made from English: every message marked, placeholders kept.
const mark = (message) => (typeof message === 'string' ? `«${message}»` : Object.fromEntries(Object.entries(message).map(([k, v]) => [k, `«${v}»`])));
const marked = Object.fromEntries(Object.entries(en).map(([id, message]) => [id, mark(message)]));

describe('labels of the consent vocabulary', () => {
  afterEach(() => {
    setLanguage('en');
    delete LANGUAGES.xx;
  });

  it('are English by default and follow a language chosen later', () => {
    expect(CATEGORIES.map((c) => c.label)).toContain('Lab results');
    expect(DURATIONS.find((d) => d.seconds === 86400).label).toBe('1 day');
    expect(REQUEST_REASONS[0]).toBe('Consultation');
    LANGUAGES.xx = marked;
    setLanguage('xx');
    expect(categoryLabel('lab')).toBe('«Lab results»');
    expect(CATEGORIES.find((c) => c.name === 'sexual-reproductive-health').label).toBe('«Sexual & reproductive health»');
    expect(DURATIONS.map((d) => d.label)).toEqual(['«1 hour»', '«1 day»', '«1 week»', '«30 days»', '«1 year»']);
    expect(REASON_CODES.find((r) => r.code === 1).label).toBe('«Unconscious patient»');
    expect([...REQUEST_REASONS]).toEqual(['«Consultation»', '«Follow-up visit»', '«Second opinion»', '«Referral»', '«Ongoing treatment»']);
    expect(categoryLabel(undefined)).toBe('«Unknown»');
    // Messages built outside the screens too: a feed toast in the chosen language.
    expect(describeFeedMessage({ type: 'chain', event: 'AccessRevoked', args: {} }, (a) => a)).toBe('«Access was revoked»');
  });

  it('keep the names the chain and the node use, whatever the language', () => {
    LANGUAGES.xx = marked;
    setLanguage('xx');
    expect(CATEGORIES.map((c) => c.name)).toEqual([
      'general', 'lab', 'imaging', 'medication', 'allergy', 'immunization', 'procedure', 'clinical-note', 'mental-health',
      'sexual-reproductive-health', 'genetic', 'other',
    ]);
    expect(DURATIONS.map((d) => d.seconds)).toEqual([3600, 86400, 604800, 2592000, 31536000]);
    expect(REQUEST_REASONS).toHaveLength(5);
  });
});
