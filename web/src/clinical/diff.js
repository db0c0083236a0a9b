// What changed between two versions of a FHIR resource, field by field: every leaf value (string,
// number, boolean) of either resource by its path, compared. Returns the changes in document
// order, each { path, label, kind: 'added' | 'removed' | 'changed', before, after }, where label
// is the path in words ("Reference range › high › value"): the words are FHIR's element names
// (data, as in the resource), the "item 2" of a top-level array a UI string.
import { t } from '../i18n/index.js';

function flatten(value, segments, out) {
  if (value === null || value === undefined) return out;
  if (Array.isArray(value)) {
    value.forEach((item, i) => flatten(item, [...segments, i], out));
    return out;
  }
  if (typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) flatten(item, [...segments, key], out);
    return out;
  }
  out.set(pathOf(segments), { segments, value });
  return out;
}

const pathOf = (segments) => segments.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('').replace(/^\./, '');

// "valueQuantity" -> "value quantity"; the first word capitalized by the caller.
const words = (key) => key.replace(/\[x\]$/, '').replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();

// Array positions are shown (1-based) only where either version has more than one item there:
// "Reference range › high › value", but "Component 2 › value quantity › value".
function labelOf(segments, before, after) {
  const parts = [];
  let a = before;
  let b = after;
  for (const segment of segments) {
    if (typeof segment === 'number') {
      const longest = Math.max(Array.isArray(a) ? a.length : 0, Array.isArray(b) ? b.length : 0);
      if (longest > 1 && parts.length) parts[parts.length - 1] += ` ${segment + 1}`;
      else if (longest > 1) parts.push(t('records.clinical.diff.item', { number: segment + 1 }));
    } else {
      parts.push(words(segment));
    }
    a = a?.[segment];
    b = b?.[segment];
  }
  const text = parts.join(' › ');
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function diffResources(before, after) {
  const old = flatten(before, [], new Map());
  const now = flatten(after, [], new Map());
  const changes = [];
  const add = (path, segments, kind, from, to) => changes.push({ path, label: labelOf(segments, before, after), kind, before: from, after: to });
  for (const [path, { segments, value }] of now) {
    if (!old.has(path)) add(path, segments, 'added', undefined, value);
    else if (old.get(path).value !== value) add(path, segments, 'changed', old.get(path).value, value);
  }
  for (const [path, { segments, value }] of old) {
    if (!now.has(path)) add(path, segments, 'removed', value, undefined);
  }
  const order = [...new Set([...old.keys(), ...now.keys()])].sort(documentOrder(old, now));
  const rank = new Map(order.map((path, i) => [path, i]));
  return changes.sort((x, y) => rank.get(x.path) - rank.get(y.path));
}

// The newer version's order, with removed paths placed after their old neighbour.
function documentOrder(old, now) {
  const position = new Map();
  [...now.keys()].forEach((path, i) => position.set(path, i));
  let last = -1;
  for (const path of old.keys()) {
    if (position.has(path)) last = position.get(path);
    else position.set(path, last + 0.5);
  }
  return (x, y) => position.get(x) - position.get(y);
}

// A value for the diff table: long strings (base64 attachment data) shortened.
export function diffValueText(value, limit = 120) {
  if (value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.length > limit ? t('records.clinical.diff.shortened', { start: text.slice(0, limit - 1), count: text.length }) : text;
}
