import { useEffect, useRef, useState } from 'react';

export const SAMPLE_INTERVAL_MS = 15_000;
export const SAMPLES_KEPT = 40;

/** One reading of the dashboard's figures. */
export interface Sample {
  at: number;
  instances: number;
  cpu: number;
  memoryMib: number;
}

/** The samples with one more, keeping the last `keep`. */
export function pushSample<T>(samples: T[], sample: T, keep = SAMPLES_KEPT): T[] {
  const next = [...samples, sample];
  return next.length > keep ? next.slice(next.length - keep) : next;
}

/**
 * Reads the figures every intervalMs while the component is mounted (the first once they are ready),
 * keeping the last SAMPLES_KEPT. The readings come from caches the event stream keeps current; nothing is fetched.
 */
export function useSamples(read: () => Omit<Sample, 'at'> | null, intervalMs = SAMPLE_INTERVAL_MS): Sample[] {
  const [samples, setSamples] = useState<Sample[]>([]);
  const reader = useRef(read);
  reader.current = read;
  const ready = read() !== null;
  useEffect(() => {
    if (!ready) {
      return undefined;
    }
    const take = () => {
      const value = reader.current();
      if (value) {
        setSamples((s) => pushSample(s, { at: Date.now(), ...value }));
      }
    };
    take();
    const timer = setInterval(take, intervalMs);
    return () => clearInterval(timer);
  }, [ready, intervalMs]);
  return samples;
}
