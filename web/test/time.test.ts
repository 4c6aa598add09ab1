import { describe, expect, it } from 'vitest';
import { chinaDay, chinaTime } from '../src/time';

describe('China time', () => {
  it('shows RFC 3339 in Asia/Shanghai, whatever the offset it came with', () => {
    expect(chinaTime('2020-02-22T05:58:43+08:00')).toBe('2020-02-22 05:58');
    expect(chinaTime('2020-02-22T05:58:43+08:00', true)).toBe('2020-02-22 05:58:43');
    expect(chinaTime('2026-12-02T22:36:12.920+08:00', true)).toBe('2026-12-02 22:36:12');
    expect(chinaTime('2020-02-21T22:30:00Z')).toBe('2020-02-22 06:30');
    expect(chinaTime('2020-02-21T23:00:00-01:00')).toBe('2020-02-22 08:00');
  });
  it('shows nothing for no time, and text that is no time as it is', () => {
    expect(chinaTime(null)).toBe('');
    expect(chinaTime('')).toBe('');
    expect(chinaTime('soon')).toBe('soon');
  });
  it('names the day in China', () => {
    expect(chinaDay('2020-02-21T16:00:00Z')).toBe('2020-02-22');
    expect(chinaDay(new Date(Date.UTC(2020, 1, 21, 15, 59)))).toBe('2020-02-21');
  });
});
