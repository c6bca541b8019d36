/**
 * The verdict as ONE self-contained HTML file: inline CSS, no script, no font, no image, nothing
 * fetched — it opens the same from a CI artifact, an e-mail or a machine without network.
 * Charts (latency and connections over time) go in the `charts` section, added by a later issue.
 */
import { conditionText, formatValue, statusText } from './format.ts';
import type { Verdict } from './verdict.ts';
import { escapeMarkup as h } from './xml-escape.ts';

const CSS = `
  body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 68rem; padding: 0 1rem; color: #1d2430; }
  h1 { font-size: 1.5rem; margin-bottom: .25rem; }
  .verdict { display: inline-block; padding: .2rem .7rem; border-radius: .3rem; color: #fff; font-weight: 700; }
  .v-GO { background: #1f7a3a; } .v-WARN { background: #a86a00; } .v-NO_GO { background: #b3261e; } .v-INCONCLUSIVE { background: #6b4fa0; }
  dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; }
  dl.facts dt { color: #5b6575; }
  table { border-collapse: collapse; width: 100%; margin-top: 1rem; }
  th, td { text-align: left; padding: .35rem .6rem; border-bottom: 1px solid #dde1e7; vertical-align: top; }
  td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
  .s-pass { color: #1f7a3a; } .s-warn { color: #a86a00; } .s-fail { color: #b3261e; font-weight: 700; } .s-not_measured { color: #7a828e; }
  tr.ungated td { color: #7a828e; }
  .note { color: #5b6575; font-size: .9em; }
  section.charts { margin-top: 2rem; padding: 1rem; border: 1px dashed #c4cad3; color: #7a828e; }
`;

export function renderHtml(verdict: Verdict): string {
  const v = verdict;
  const facts: [string, string][] = [
    ['Profile', v.profile],
    ['Target', v.target],
    ['Run', v.runId],
    ['Started', v.startedAt],
    ['Ended', v.endedAt],
    ['Aborted', v.aborted ? 'yes' : 'no'],
  ];
  const rows = v.rows.map(
    (r) => `      <tr class="${r.gated ? 'gated' : 'ungated'}">
        <td>${h(r.title)}</td>
        <td class="num">${h(formatValue(r.unit, r.observed))}</td>
        <td class="num">${h(conditionText(r, 'target'))}</td>
        <td class="num">${h(conditionText(r, 'critical'))}</td>
        <td class="s-${r.status}">${h(statusText(r.status))}</td>
        <td class="note">${h([r.where, r.note].filter(Boolean).join(' — '))}</td>
      </tr>`,
  );
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>GoMeet capacity: ${h(v.verdict)} — ${h(v.profile)} / ${h(v.target)}</title>
  <style>${CSS}</style>
</head>
<body>
  <h1>GoMeet capacity <span class="verdict v-${h(v.verdict)}">${h(v.verdict)}</span></h1>
  <dl class="facts">
${facts.map(([k, val]) => `    <dt>${h(k)}</dt><dd>${h(val)}</dd>`).join('\n')}
  </dl>
  <h2>Why</h2>
  <ul class="reasons">
${v.reasons.map((r) => `    <li>${h(r)}</li>`).join('\n')}
  </ul>
  <h2>Rows</h2>
  <table>
    <thead><tr><th>Row</th><th>Observed</th><th>Target</th><th>Critical</th><th>Status</th><th>Note</th></tr></thead>
    <tbody>
${rows.join('\n')}
    </tbody>
  </table>
  <section class="charts" id="charts">
    <!-- charts: inline SVG of client and server series over the run window go here (later issue) -->
    <p>Charts are not rendered yet.</p>
  </section>
</body>
</html>
`;
}
