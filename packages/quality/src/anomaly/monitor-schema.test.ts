import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse as parseYaml } from 'yaml';
import { isQualityError } from '../errors.ts';
import { metricLabel, metricSeries } from './metric-series.ts';
import type { TableMetrics } from './metrics.ts';
import { MonitorSchema, monitorOptions, parseMonitor } from './monitor-schema.ts';

const metrics = (rowCount: number, email?: Partial<TableMetrics['columns'][string]>): TableMetrics => ({
  rowCount,
  columns: email ? { email: { type: 'VARCHAR', nullRate: 0, distinct: 0, ...email } } : {},
});

describe('monitors in YAML', () => {
  it('reads a monitor with defaults', () => {
    assert.deepEqual(parseMonitor({ metric: 'row_count' }), { metric: 'row_count', seasonality: 'auto', severity: 'warn' });
    const yaml = `
metric: { column: email, stat: null_rate }
sensitivity: 5
min_history: 14
seasonality: weekday
time_zone: Europe/Paris
window_days: 84
severity: error
`;
    const m = parseMonitor(parseYaml(yaml));
    assert.deepEqual(m, {
      metric: { column: 'email', stat: 'null_rate' },
      sensitivity: 5,
      min_history: 14,
      seasonality: 'weekday',
      time_zone: 'Europe/Paris',
      window_days: 84,
      severity: 'error',
    });
    assert.deepEqual(monitorOptions(m, 'parks.silver.bookings'), {
      label: 'null rate of email in parks.silver.bookings',
      seasonality: 'weekday',
      sensitivity: 5,
      minHistory: 14,
      timeZone: 'Europe/Paris',
      windowDays: 84,
    });
    assert.deepEqual(monitorOptions({ metric: 'row_count' }, 'parks.silver.bookings'), { label: 'row count of parks.silver.bookings' });
  });

  it('names every problem, and where', () => {
    const problems = (input: unknown) => {
      try {
        parseMonitor(input, 'assets/bookings.yaml');
      } catch (e) {
        assert.ok(isQualityError(e, 'QUALITY_INVALID_DEFINITION'));
        return e.message;
      }
      assert.fail('expected an error');
    };
    assert.match(problems({ metric: 'row_count', sensitivty: 3 }), /^assets\/bookings\.yaml: invalid monitor: .*"sensitivty"/);
    assert.match(problems({ metric: { column: 'email', stat: 'median' } }), /invalid monitor: metric\.stat: stat is one of null_rate, distinct, mean, min, max, stddev$/);
    assert.match(problems('row_count'), /invalid monitor: a monitor is a mapping with at least a metric/);
    assert.match(problems({ metric: 'rows' }), /metric is row_count or \{ column, stat \}/);
    const many = problems({ metric: 'row_count', sensitivity: -1, time_zone: 'Moon/Base', seasonality: 'monthly', severity: 'fatal', min_history: 2.5 });
    for (const field of ['sensitivity', 'time_zone', 'seasonality', 'severity', 'min_history']) assert.match(many, new RegExp(`${field}: `));
    assert.match(many, /IANA time zone/);
    assert.equal(MonitorSchema.safeParse({ metric: 'row_count', window_days: 0 }).success, false);
  });
});

describe('metricSeries', () => {
  it('turns recorded metrics into a time series of one metric, in time order', () => {
    const history = [
      { at: new Date('2024-01-03'), metrics: metrics(30, { nullRate: 0.3, min: 'a' }) },
      { at: new Date('2024-01-01'), metrics: metrics(10, { nullRate: 0.1, mean: 4 }) },
      { at: new Date('2024-01-02'), metrics: metrics(20) },
    ];
    assert.deepEqual(metricSeries(history, 'row_count'), [
      { at: new Date('2024-01-01'), value: 10 },
      { at: new Date('2024-01-02'), value: 20 },
      { at: new Date('2024-01-03'), value: 30 },
    ]);
    // Records without the column, or with a non-numeric statistic, are left out.
    assert.deepEqual(metricSeries(history, { column: 'email', stat: 'null_rate' }), [
      { at: new Date('2024-01-01'), value: 0.1 },
      { at: new Date('2024-01-03'), value: 0.3 },
    ]);
    assert.deepEqual(metricSeries(history, { column: 'email', stat: 'mean' }), [{ at: new Date('2024-01-01'), value: 4 }]);
    assert.deepEqual(metricSeries(history, { column: 'email', stat: 'min' }), []);
  });

  it('labels metrics for messages', () => {
    assert.equal(metricLabel('row_count'), 'row count');
    assert.equal(metricLabel({ column: 'amount', stat: 'stddev' }), 'standard deviation of amount');
    assert.equal(metricLabel({ column: 'email', stat: 'distinct' }, 'parks.silver.bookings'), 'distinct count of email in parks.silver.bookings');
  });
});
