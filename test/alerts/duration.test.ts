import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatDays, formatIsoDuration, parseIsoDuration } from '../../src/alerts/duration.js';

const ms = (text: string): number => {
  const parsed = parseIsoDuration(text);
  assert.ok(parsed.ok, `expected '${text}' to parse`);
  return parsed.ms;
};

describe('ISO 8601 durations', () => {
  it('parses days, hours, minutes and seconds', () => {
    assert.equal(ms('P30D'), 30 * 86_400_000);
    assert.equal(ms('PT10S'), 10_000);
    assert.equal(ms('P1DT2H'), 86_400_000 + 2 * 3_600_000);
    assert.equal(ms('PT1H30M'), 5_400_000);
    assert.equal(ms('PT0.5S'), 500);
    assert.equal(ms('P0D'), 0);
  });

  it('rejects years, months and weeks with a message that says why', () => {
    for (const text of ['P1Y', 'P1M', 'P2W', 'P1Y2M3D']) {
      const parsed = parseIsoDuration(text);
      assert.equal(parsed.ok, false, text);
      if (!parsed.ok) assert.match(parsed.message, /years, months or weeks/);
    }
  });

  it('does not mistake minutes for months', () => {
    assert.equal(ms('PT5M'), 300_000);
  });

  it('rejects malformed and negative text', () => {
    for (const text of ['', 'P', 'PT', '30D', 'P1.5D', 'p30d', 'P30DT', 'PT1H2X', '-P1D', 'P 1D']) {
      assert.equal(parseIsoDuration(text).ok, false, text);
    }
  });

  it('formats canonically', () => {
    assert.equal(formatIsoDuration(30 * 86_400_000), 'P30D');
    assert.equal(formatIsoDuration(10_000), 'PT10S');
    assert.equal(formatIsoDuration(86_400_000 + 2 * 3_600_000), 'P1DT2H');
    assert.equal(formatIsoDuration(0), 'PT0S');
    assert.equal(formatIsoDuration(1_500), 'PT1.5S');
    assert.equal(formatIsoDuration(ms('PT720H')), 'P30D');
  });

  it('formats day counts for descriptions', () => {
    assert.equal(formatDays(ms('P30D')), '30');
    assert.equal(formatDays(ms('PT36H')), '1.5');
  });
});
