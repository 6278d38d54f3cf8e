import { test, expect } from '@playwright/test';
import { backoffDelayMs } from '../../common/backoff.ts';

const options = { initialMs: 500, maxMs: 10_000 };
const always = (value: number) => () => value;

test('draws the delay between zero and a ceiling that doubles with each attempt', () => {
  expect(backoffDelayMs(0, options, always(0.5))).toBe(250);
  expect(backoffDelayMs(1, options, always(0.5))).toBe(500);
  expect(backoffDelayMs(3, options, always(0.5))).toBe(2_000);
  expect(backoffDelayMs(3, options, always(0.999))).toBe(3_996);
});

test('never exceeds the maximum, however many attempts failed', () => {
  expect(backoffDelayMs(5, options, always(0.999))).toBe(9_990);
  expect(backoffDelayMs(10_000, options, always(0.999))).toBe(9_990);
  expect(backoffDelayMs(Number.MAX_SAFE_INTEGER, options, always(0.5))).toBe(5_000);
});

test('never drops below the floor, so a lost server is not hammered', () => {
  expect(backoffDelayMs(0, options, always(0))).toBe(100);
  expect(backoffDelayMs(0, { initialMs: 10, maxMs: 50 }, always(0.9))).toBe(100);
  expect(backoffDelayMs(4, { ...options, floorMs: 300 }, always(0))).toBe(300);
});

test('uses the injected random source for every draw', () => {
  const draws = [0.1, 0.9, 0.5];
  const random = () => draws.shift() ?? 0;
  expect([0, 1, 2].map((attempt) => backoffDelayMs(attempt, options, random))).toEqual([100, 900, 1_000]);
});

test('spreads delays across the whole range with a real random source', () => {
  const delays = Array.from({ length: 200 }, () => backoffDelayMs(4, options));
  for (const delay of delays) {
    expect(delay).toBeGreaterThanOrEqual(100);
    expect(delay).toBeLessThanOrEqual(8_000);
    expect(Number.isInteger(delay)).toBe(true);
  }
  expect(new Set(delays).size).toBeGreaterThan(50);
});
