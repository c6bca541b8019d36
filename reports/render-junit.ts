/**
 * The verdict as JUnit XML, for CI systems that show test results: one <testcase> per row
 * (classname `gomeet-capacity.<profile>`), plus one `verdict` case so that a run-level NO-GO
 * (aborted) or INCONCLUSIVE (saturated generator) is red in CI even when every row looks fine.
 *
 *   fail          → <failure>
 *   warn          → passes, <system-out> says which target it missed
 *   not_measured  → <skipped/>
 *   verdict NO_GO → <failure>; INCONCLUSIVE → <error> (could not be judged); WARN → <system-out>
 */
import { conditionText, formatValue, runLine } from './format.ts';
import type { Verdict, VerdictRow } from './verdict.ts';
import { escapeMarkup as x } from './xml-escape.ts';

export function renderJunit(verdict: Verdict): string {
  const classname = `gomeet-capacity.${verdict.profile}`;
  const cases = [...verdict.rows.map((r) => rowCase(classname, r)), verdictCase(classname, verdict)];
  const count = (outcome: Outcome) => cases.filter((c) => c.outcome === outcome).length;
  const tests = cases.length;
  const failures = count('failure');
  const errors = count('error');
  const skipped = count('skipped');
  const seconds = durationSec(verdict);
  const totals = `tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}" time="${seconds}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="gomeet-capacity" ${totals}>`,
    `  <testsuite name="${x(classname)}" ${totals} timestamp="${x(verdict.startedAt)}">`,
    '    <properties>',
    ...(['verdict', 'profile', 'target', 'runId', 'startedAt', 'endedAt'] as const).map(
      (k) => `      <property name="${k}" value="${x(String(verdict[k]))}"/>`,
    ),
    `      <property name="aborted" value="${verdict.aborted}"/>`,
    '    </properties>',
    ...cases.map((c) => c.xml),
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}

/** How JUnit counts a case. */
type Outcome = 'passed' | 'failure' | 'error' | 'skipped';

interface TestCase {
  xml: string;
  outcome: Outcome;
}

function rowCase(classname: string, r: VerdictRow): TestCase {
  const open = `    <testcase classname="${x(classname)}" name="${x(`${r.id}: ${r.title}`)}" time="0">`;
  const facts = `observed ${formatValue(r.unit, r.observed)}; target ${conditionText(r, 'target')}; critical ${conditionText(r, 'critical')}${r.where ? `; where ${r.where}` : ''}${r.note ? `; ${r.note}` : ''}`;
  switch (r.status) {
    case 'pass':
      return { outcome: 'passed', xml: `${open}\n      <system-out>${x(facts)}</system-out>\n    </testcase>` };
    case 'warn':
      return { outcome: 'passed', xml: `${open}\n      <system-out>${x(`WARN: misses the target ${conditionText(r, 'target')}. ${facts}`)}</system-out>\n    </testcase>` };
    case 'fail': {
      const message = `${formatValue(r.unit, r.observed)} crosses the critical ${conditionText(r, 'critical')}`;
      return { outcome: 'failure', xml: `${open}\n      <failure message="${x(message)}" type="critical">${x(facts)}</failure>\n    </testcase>` };
    }
    case 'not_measured':
      return { outcome: 'skipped', xml: `${open}\n      <skipped message="${x(r.note ?? 'not measured')}"/>\n    </testcase>` };
  }
}

function verdictCase(classname: string, v: Verdict): TestCase {
  const open = `    <testcase classname="${x(classname)}" name="verdict" time="${durationSec(v)}">`;
  const body = `${v.verdict}\n${v.reasons.join('\n')}\n${runLine(v)}`;
  switch (v.verdict) {
    case 'NO_GO':
      return { outcome: 'failure', xml: `${open}\n      <failure message="${x(`NO_GO: ${v.reasons[0] ?? ''}`)}" type="NO_GO">${x(body)}</failure>\n    </testcase>` };
    case 'INCONCLUSIVE':
      return { outcome: 'error', xml: `${open}\n      <error message="${x(`INCONCLUSIVE: ${v.reasons[0] ?? ''}`)}" type="INCONCLUSIVE">${x(body)}</error>\n    </testcase>` };
    default:
      return { outcome: 'passed', xml: `${open}\n      <system-out>${x(body)}</system-out>\n    </testcase>` };
  }
}

/** Seconds between start and end (0 when the timestamps are unreadable). */
function durationSec(v: Pick<Verdict, 'startedAt' | 'endedAt'>): number {
  const ms = Date.parse(v.endedAt) - Date.parse(v.startedAt);
  return Number.isFinite(ms) && ms > 0 ? Math.round(ms) / 1000 : 0;
}
