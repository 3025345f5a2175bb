import { useMemo } from 'react';
import { useListVpcsQuery } from '../vpcs/api';
import { useListSubnetsQuery } from '../subnets/api';
import { useListImagesQuery } from '../images/api';
import { useListInstanceTypesQuery } from '../instanceTypes/api';

function byId<T extends { id: string }>(items: T[] | undefined): Map<string, T> {
  return new Map((items ?? []).map((item) => [item.id, item]));
}

/** Names of the resources instances refer to (VPCs, subnets, images, types), to show names, not ids. */
export function useInstanceLookups() {
  const vpcs = useListVpcsQuery({ limit: 1000 });
  const subnets = useListSubnetsQuery({ limit: 1000 });
  const images = useListImagesQuery({ limit: 1000 });
  const types = useListInstanceTypesQuery({ limit: 1000 });
  return useMemo(
    () => ({
      vpcs: byId(vpcs.data?.items),
      vpcList: vpcs.data?.items ?? [],
      subnets: byId(subnets.data?.items),
      images: byId(images.data?.items),
      types: new Map((types.data?.items ?? []).map((t) => [t.name, t])),
    }),
    [vpcs.data, subnets.data, images.data, types.data],
  );
}

export type InstanceLookups = ReturnType<typeof useInstanceLookups>;
