import type { Image, InstanceType, SecurityGroup } from '../../api/types';
import type { LaunchInstance } from './api';

/** What the launch form holds. */
export interface LaunchValues {
  name?: string;
  image_id?: string;
  instance_type?: string;
  vpc_id?: string;
  subnet_id?: string;
  security_group_ids?: string[];
  key_name?: string;
  user_data?: string;
  tags?: { key?: string; value?: string }[];
}

export const USER_DATA_MAX_BYTES = 16 * 1024;
export const TAGS_MAX = 50;
export const TAG_KEY_MAX = 128;
export const TAG_VALUE_MAX = 256;
export const NAME_MAX = 255;

export interface FieldError {
  field: keyof LaunchValues;
  message: string;
}

export function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export function userDataError(text: string | undefined): string | null {
  const bytes = utf8Length(text ?? '');
  return bytes > USER_DATA_MAX_BYTES ? `User data must be at most 16 KiB; this is ${bytes} bytes.` : null;
}

export function tagsError(tags: LaunchValues['tags']): string | null {
  const rows = (tags ?? []).filter((t) => (t?.key ?? '').trim() !== '' || (t?.value ?? '') !== '');
  if (rows.length > TAGS_MAX) {
    return `An instance has at most ${TAGS_MAX} tags.`;
  }
  const seen = new Set<string>();
  for (const row of rows) {
    const key = (row.key ?? '').trim();
    if (!key) {
      return 'Every tag needs a key.';
    }
    if (key.length > TAG_KEY_MAX) {
      return `Tag keys are at most ${TAG_KEY_MAX} characters long.`;
    }
    if ((row.value ?? '').length > TAG_VALUE_MAX) {
      return `Tag values are at most ${TAG_VALUE_MAX} characters long.`;
    }
    if (seen.has(key)) {
      return `The tag key '${key}' is used twice.`;
    }
    seen.add(key);
  }
  return null;
}

/** What is wrong with the form before anything is sent, field by field. */
export function launchErrors(values: LaunchValues): FieldError[] {
  const errors: FieldError[] = [];
  if (!values.image_id) {
    errors.push({ field: 'image_id', message: 'Pick an image to boot from.' });
  }
  if (!values.instance_type) {
    errors.push({ field: 'instance_type', message: 'Pick an instance type.' });
  }
  if (!values.vpc_id) {
    errors.push({ field: 'vpc_id', message: 'Pick the VPC to launch into.' });
  }
  if (!values.subnet_id) {
    errors.push({ field: 'subnet_id', message: 'Pick a subnet of the VPC.' });
  }
  if ((values.name ?? '').trim().length > NAME_MAX) {
    errors.push({ field: 'name', message: `The name is at most ${NAME_MAX} characters long.` });
  }
  const userData = userDataError(values.user_data);
  if (userData) {
    errors.push({ field: 'user_data', message: userData });
  }
  const tags = tagsError(values.tags);
  if (tags) {
    errors.push({ field: 'tags', message: tags });
  }
  return errors;
}

/** The body of POST /instances from valid form values; what is empty is left out. */
export function buildLaunchRequest(values: LaunchValues): LaunchInstance {
  const request: LaunchInstance = {
    instance_type: values.instance_type ?? '',
    image_id: values.image_id ?? '',
    subnet_id: values.subnet_id ?? '',
  };
  const name = (values.name ?? '').trim();
  if (name) {
    request.name = name;
  }
  if (values.security_group_ids && values.security_group_ids.length > 0) {
    request.security_group_ids = [...values.security_group_ids];
  }
  const key = (values.key_name ?? '').trim();
  if (key) {
    request.key_name = key;
  }
  if (values.user_data && values.user_data.trim() !== '') {
    request.user_data = values.user_data;
  }
  const tags: Record<string, string> = {};
  for (const row of values.tags ?? []) {
    const k = (row?.key ?? '').trim();
    if (k) {
      tags[k] = row.value ?? '';
    }
  }
  if (Object.keys(tags).length > 0) {
    request.tags = tags;
  }
  return request;
}

/** The image a launch starts from: the public busybox image when there is one, else the first. */
export function defaultImage(images: Image[]): Image | undefined {
  return images.find((i) => i.is_public && i.name === 'busybox') ?? images.find((i) => i.name === 'busybox') ?? images[0];
}

/** The smallest instance type (fewest vCPUs, then least memory). */
export function defaultInstanceType(types: InstanceType[]): InstanceType | undefined {
  return [...types].sort((a, b) => a.cpu - b.cpu || a.memory - b.memory)[0];
}

/** The groups preselected for a VPC: its default group. */
export function defaultGroups(groups: SecurityGroup[], vpcId: string | undefined): string[] {
  return groups.filter((g) => g.vpc_id === vpcId && g.is_default).map((g) => g.id);
}

/** Whether user data is a script that the image runs at boot. */
export function isBootScript(userData: string | undefined): boolean {
  return (userData ?? '').startsWith('#!');
}
