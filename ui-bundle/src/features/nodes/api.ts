import { api, listQuery } from '../../api/api';
import type { Page, PageArgs, WorkerNode } from '../../api/types';

export type { WorkerNode } from '../../api/types';

/** Worker nodes (administrators only). */
export const nodesApi = api.injectEndpoints({
  endpoints: (build) => ({
    listNodes: build.query<Page<WorkerNode>, PageArgs>({
      query: (args) => `/nodes${listQuery({ ...args })}`,
      providesTags: [{ type: 'WorkerNode', id: 'LIST' }],
    }),
    drainNode: build.mutation<WorkerNode, { id: string; drain: boolean }>({
      query: ({ id, drain }) => ({ url: `/nodes/${encodeURIComponent(id)}/${drain ? 'drain' : 'undrain'}`, method: 'POST', body: {} }),
      invalidatesTags: (_r, error) => (error ? [] : [{ type: 'WorkerNode', id: 'LIST' }]),
    }),
  }),
});

export const { useListNodesQuery, useDrainNodeMutation } = nodesApi;

export interface Capacity {
  cpuAllocated: number;
  cpuTotal: number;
  memoryAllocatedMib: number;
  memoryTotalMib: number;
  up: number;
  down: number;
  draining: number;
  instances: number;
}

/** The capacity of the workers taken together (down workers count in the totals too). */
export function totalCapacity(nodes: WorkerNode[]): Capacity {
  return nodes.reduce<Capacity>(
    (c, n) => ({
      cpuAllocated: c.cpuAllocated + n.cpu_allocated,
      cpuTotal: c.cpuTotal + n.cpu_total,
      memoryAllocatedMib: c.memoryAllocatedMib + n.memory_allocated_mib,
      memoryTotalMib: c.memoryTotalMib + n.memory_total_mib,
      up: c.up + (n.state === 'up' ? 1 : 0),
      down: c.down + (n.state === 'down' ? 1 : 0),
      draining: c.draining + (n.state === 'draining' ? 1 : 0),
      instances: c.instances + n.instance_count,
    }),
    { cpuAllocated: 0, cpuTotal: 0, memoryAllocatedMib: 0, memoryTotalMib: 0, up: 0, down: 0, draining: 0, instances: 0 },
  );
}
