import type { Instance, InstanceType } from '../../api/types';

/** States in which an instance holds capacity on a worker (it is given back on termination). */
const HOLDING = ['pending', 'running', 'stopping', 'shutting-down'];

export interface Usage {
  /** Instances not terminated. */
  instances: number;
  running: number;
  cpu: number;
  memoryMib: number;
}

/** The caller's instances and the vCPUs and memory of those that run (or are about to). */
export function instanceUsage(instances: Instance[] | undefined, types: InstanceType[] | undefined): Usage {
  const byName = new Map((types ?? []).map((t) => [t.name, t]));
  const usage: Usage = { instances: 0, running: 0, cpu: 0, memoryMib: 0 };
  for (const i of instances ?? []) {
    if (i.state !== 'terminated') {
      usage.instances += 1;
    }
    if (i.state === 'running') {
      usage.running += 1;
    }
    if (HOLDING.includes(i.state)) {
      const type = byName.get(i.instance_type);
      usage.cpu += type?.cpu ?? 0;
      usage.memoryMib += type?.memory ?? 0;
    }
  }
  return usage;
}
