/**
 * docs/grafana/gomeet-capacity.json: generated from the threshold table (never edited by hand),
 * importable (datasources as template variables), one panel per row with the table's target and
 * critical as its thresholds, and well-formed queries (the InfluxQL and PromQL themselves are run
 * against real servers in test/integration/grafana).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildDashboard, DASHBOARD_FILE, dashboardText } from '../../../docs/grafana/generate.ts';
import { SEED_CONNECTIONS, THRESHOLD_TABLE } from '../../../thresholds/table.ts';

interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: { refId: string; datasource: { type: string; uid: string }; query?: string; expr?: string }[];
  fieldConfig?: { defaults: { unit: string; thresholds: { steps: { color: string; value: number | null }[] } } };
}

const committed = JSON.parse(readFileSync(DASHBOARD_FILE, 'utf8'));
const panels: Panel[] = committed.panels;
const graphs = panels.filter((p) => p.type === 'timeseries');
/** Rows without a live source get a text panel saying where they are judged. */
const notes = panels.filter((p) => p.type === 'text') as (Panel & { options: { content: string } })[];

describe('Grafana dashboard', () => {
  it('is exactly what the generator produces from the table (regenerate: npx tsx docs/grafana/generate.ts)', () => {
    expect(readFileSync(DASHBOARD_FILE, 'utf8')).toBe(dashboardText());
    expect(committed).toEqual(JSON.parse(JSON.stringify(buildDashboard())));
  });

  it('declares both datasources and the run as variables, and every query uses a declared datasource', () => {
    const vars = committed.templating.list as { name: string; type: string; query: string }[];
    expect(vars.filter((v) => v.type === 'datasource').map((v) => [v.name, v.query])).toEqual([
      ['influxdb', 'influxdb'],
      ['prometheus', 'prometheus'],
    ]);
    const declared = new Set(vars.filter((v) => v.type === 'datasource').map((v) => `\${${v.name}}`));
    for (const p of graphs) {
      expect(p.datasource, p.title).toBeDefined();
      expect(declared.has(p.datasource!.uid) || p.datasource!.uid === '-- Mixed --', p.title).toBe(true);
      expect(p.targets!.length, p.title).toBeGreaterThan(0);
      expect(new Set(p.targets!.map((t) => t.refId)).size, p.title).toBe(p.targets!.length);
      for (const t of p.targets!) {
        expect(declared.has(t.datasource.uid), `${p.title} ${t.refId}`).toBe(true);
        if (t.datasource.type === 'influxdb') {
          expect(t.query, p.title).toMatch(/^SELECT .+ FROM .+ WHERE .*\$timeFilter.* GROUP BY time\(\$__interval\)/);
          if (!/FROM \(SELECT/.test(t.query!)) expect(t.query, p.title).toContain('"run_id" =~ /^$run_id$/');
          expect(t.expr).toBeUndefined();
        } else {
          expect(t.datasource.type).toBe('prometheus');
          expect(t.expr!.length, p.title).toBeGreaterThan(0);
          expect(t.query).toBeUndefined();
        }
      }
    }
  });

  it('has only row, time series and text panels', () => {
    expect(panels.every((p) => ['row', 'timeseries', 'text'].includes(p.type))).toBe(true);
  });

  it('has a panel per row of the table with its target and critical as thresholds', () => {
    for (const row of THRESHOLD_TABLE) {
      const note = notes.find((p) => p.title === row.title);
      if (note) {
        expect(note.options.content, row.id).toContain(`Target ${row.direction === 'lower' ? '<' : '≥'} ${row.target}, critical`);
        continue;
      }
      const panel = graphs.find((p) => p.title.startsWith(row.title));
      expect(panel, row.id).toBeDefined();
      const scale = row.scale === 'planned-connections' ? 100 / SEED_CONNECTIONS : 1;
      const target = row.target * scale;
      const critical = row.critical * scale;
      const steps = panel!.fieldConfig!.defaults.thresholds.steps;
      const valueOf = (color: string) => steps.find((s) => s.color === color)?.value;
      expect(valueOf('orange'), row.id).toBe(row.direction === 'lower' ? target : critical);
      expect(valueOf(row.direction === 'lower' ? 'red' : 'green'), row.id).toBe(row.direction === 'lower' ? critical : target);
      expect(panel!.description, row.id).toContain(`warm-up ${row.warmupSec} s`);
    }
  });

  it('lays panels out without overlaps and with unique ids', () => {
    expect(new Set(panels.map((p) => p.id)).size).toBe(panels.length);
    const cells = new Set<string>();
    for (const p of panels) {
      for (let x = p.gridPos.x; x < p.gridPos.x + p.gridPos.w; x++) {
        for (let y = p.gridPos.y; y < p.gridPos.y + p.gridPos.h; y++) {
          const key = `${x},${y}`;
          expect(cells.has(key), `${p.title} overlaps at ${key}`).toBe(false);
          cells.add(key);
        }
      }
      expect(p.gridPos.x + p.gridPos.w).toBeLessThanOrEqual(24);
    }
  });
});
