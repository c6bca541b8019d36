// Pure parts of the Prometheus readers: how series are named, the worst-per-bucket chart line, the
// context lines, and URLs with user info (never shown, sent as a header instead).
import { describe, expect, it } from 'vitest';
import { promRequest } from '../../../scripts/clients/prometheus.ts';
import { contextLines, displayUrl } from '../../../reports/observe-prometheus.ts';
import { whereOf } from '../../../reports/prometheus-window.ts';
import { worstPerBucket } from '../../../reports/series-prometheus.ts';

describe('whereOf', () => {
  it('prefers the where label, else lists the labels without the metric name', () => {
    expect(whereOf({ where: 'node 127.0.0.1', instance: 'x' })).toBe('node 127.0.0.1');
    expect(whereOf({ __name__: 'up', pod: 'api-1', container: 'api' })).toBe('pod=api-1, container=api');
    expect(whereOf({})).toBe('(all series summed)');
  });
});

describe('worstPerBucket', () => {
  it('keeps the highest series per time, shifted to the bucket start, and names the overall peak', () => {
    const series = [
      { labels: { where: 'node' }, points: [[10_000, 0.5], [15_000, 0.9], [20_000, 0.2]] as [number, number][] },
      { labels: { where: 'api' }, points: [[10_000, 0.7], [20_000, 0.3]] as [number, number][] },
    ];
    expect(worstPerBucket(series, 100, 5000)).toEqual({
      points: [
        [5000, 70],
        [10_000, 90],
        [15_000, 30],
      ],
      where: 'node',
    });
  });

  it('gives no points (and no where) for no data', () => {
    expect(worstPerBucket([], 1, 5000)).toEqual({ points: [] });
    expect(worstPerBucket([{ labels: {}, points: [] }], 1, 5000)).toEqual({ points: [] });
  });
});

describe('contextLines', () => {
  it('prints each signal on one line, with its unit and where, or why there is none', () => {
    expect(
      contextLines([
        { id: 'a', title: 'SFU participants (peak)', unit: '', values: [{ where: 'livekit-server', value: 12 }], description: '' },
        { id: 'b', title: 'SFU packet loss', unit: '%', values: [{ where: 'outgoing', value: 0.25 }, { where: 'incoming', value: 0 }], description: '' },
        { id: 'c', title: 'SFU NACKs', unit: '/s', values: [{ where: 'incoming', value: 1.5 }], description: '' },
        { id: 'd', title: 'SFU PLIs', unit: '/s', values: [], note: 'none recorded', description: '' },
      ]),
    ).toEqual([
      'SFU participants (peak): 12 (livekit-server)',
      'SFU packet loss: 0.25 % (outgoing), 0 % (incoming)',
      'SFU NACKs: 1.5/s (incoming)',
      'SFU PLIs: none recorded',
    ]);
  });
});

describe('Prometheus URLs with user info', () => {
  it('are shown without it', () => {
    expect(displayUrl('https://ops:s3cret@prom.example:9090/prometheus')).toBe('https://prom.example:9090/prometheus');
    expect(displayUrl('http://127.0.0.1:19090')).toBe('http://127.0.0.1:19090');
  });

  it('are requested without it, the credentials in a Basic header', () => {
    const r = promRequest('https://ops:s%40cret@prom.example:9090/', '/api/v1/query');
    expect(r.href).toBe('https://prom.example:9090/api/v1/query');
    expect(r.headers.authorization).toBe(`Basic ${Buffer.from('ops:s@cret').toString('base64')}`);
    expect(promRequest('http://127.0.0.1:19090', '/api/v1/query')).toEqual({ href: 'http://127.0.0.1:19090/api/v1/query', headers: {} });
    // Served under a prefix: the prefix stays.
    expect(promRequest('http://h:9090/prometheus/', '/api/v1/query').href).toBe('http://h:9090/prometheus/api/v1/query');
  });
});
