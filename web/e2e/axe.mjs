// Accessibility checks for the end-to-end suites: axe-core (@axe-core/playwright) on the page
// as it stands. A violation of impact "serious" or "critical" fails the test; milder ones are
// printed so they stay visible without blocking.
import { AxeBuilder } from '@axe-core/playwright';

const BLOCKING = new Set(['serious', 'critical']);
const checked = [];

function describeViolation(violation) {
  const where = violation.nodes.slice(0, 3).map((node) => `    ${node.target.join(' ')}: ${node.failureSummary.replaceAll('\n', ' ')}`);
  return `  [${violation.impact}] ${violation.id}: ${violation.help} (${violation.nodes.length} elements)\n${where.join('\n')}`;
}

// Runs axe on `page` (or only inside `include`, a CSS selector such as '[role="dialog"]') and
// throws when it finds a serious or critical violation. `label` names the screen in the message
// and in the summary.
export async function expectAccessible(page, label, { include } = {}) {
  let builder = new AxeBuilder({ page });
  if (include) builder = builder.include(include);
  const { violations } = await builder.analyze();
  const blocking = violations.filter((v) => BLOCKING.has(v.impact));
  const minor = violations.filter((v) => !BLOCKING.has(v.impact));
  checked.push({ label, blocking: blocking.length });
  if (minor.length) console.log(`axe: ${label}: ${minor.length} minor\n${minor.map(describeViolation).join('\n')}`);
  if (blocking.length) {
    throw new Error(`axe: ${blocking.length} serious or critical violations on "${label}":\n${blocking.map(describeViolation).join('\n')}`);
  }
}

// One line for the end of a suite: how many screens were checked and what was found.
export function axeSummary() {
  const serious = checked.reduce((sum, c) => sum + c.blocking, 0);
  return `axe: ${checked.length} screens checked, ${serious} serious violations`;
}
