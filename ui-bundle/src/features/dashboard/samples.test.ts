import { describe, expect, it } from 'vitest';
import { pushSample } from './samples';
import { instanceUsage } from './usage';
import { sparklinePoints } from '../../components/Sparkline';
import { formatRelative } from '../../components/format';
import { totalCapacity } from '../nodes/api';
import { instance } from '../../test/fixtures';

describe('dashboard figures', () => {
  it('keeps the last 40 samples', () => {
    let samples: number[] = [];
    for (let i = 0; i < 45; i++) samples = pushSample(samples, i);
    expect(samples).toHaveLength(40);
    expect(samples[0]).toBe(5);
    expect(samples[39]).toBe(44);
  });

  it('counts instances and what the running ones hold', () => {
    const types = [{ name: 't2.micro', cpu: 1, memory: 1024 }, { name: 't2.large', cpu: 2, memory: 8192 }] as never;
    const usage = instanceUsage(
      [
        instance(1),
        instance(2, { instance_type: 't2.large', state: 'pending' }),
        instance(3, { state: 'stopped' }),
        instance(4, { state: 'terminated' }),
      ],
      types,
    );
    expect(usage).toEqual({ instances: 3, running: 1, cpu: 3, memoryMib: 9216 });
  });

  it('adds up the workers', () => {
    const node = (state: string, cpu: number, used: number) =>
      ({ state, cpu_total: cpu, cpu_allocated: used, memory_total_mib: 1024, memory_allocated_mib: 512, instance_count: 2 }) as never;
    expect(totalCapacity([node('up', 8, 2), node('draining', 4, 4), node('down', 4, 0)])).toEqual({
      cpuAllocated: 6,
      cpuTotal: 16,
      memoryAllocatedMib: 1536,
      memoryTotalMib: 3072,
      up: 1,
      down: 1,
      draining: 1,
      instances: 6,
    });
  });

  it('draws a sparkline from the bottom up', () => {
    expect(sparklinePoints([], 100, 20)).toBe('');
    expect(sparklinePoints([0, 5, 10], 100, 20)).toBe('0,18.5 50,10 100,1.5');
  });

  it('says how long ago a heartbeat was', () => {
    const now = Date.parse('2026-01-01T12:00:00Z');
    expect(formatRelative(null, now)).toBe('never');
    expect(formatRelative('2026-01-01T11:59:58Z', now)).toBe('just now');
    expect(formatRelative('2026-01-01T11:59:30Z', now)).toBe('30 s ago');
    expect(formatRelative('2026-01-01T11:50:00Z', now)).toBe('10 min ago');
    expect(formatRelative('2026-01-01T09:00:00Z', now)).toBe('3 h ago');
  });
});
