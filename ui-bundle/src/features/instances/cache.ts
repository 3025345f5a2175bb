import type { Instance, Page, PageArgs } from '../../api/types';

/** The arguments of a list of instances: its filters and its page. */
export interface InstanceListArgs extends PageArgs {
  vpc_id?: string;
  state?: string;
}

/** Whether the instance belongs in a list with these filters. */
export function matchesFilters(instance: Instance, args: InstanceListArgs | undefined): boolean {
  if (args?.vpc_id && instance.vpc_id !== args.vpc_id) {
    return false;
  }
  if (args?.state && instance.state !== args.state) {
    return false;
  }
  return true;
}

/** The API lists instances oldest first: by created_at, then id. */
export function compareInstances(a: Pick<Instance, 'created_at' | 'id'>, b: Pick<Instance, 'created_at' | 'id'>): number {
  const ta = Date.parse(a.created_at);
  const tb = Date.parse(b.created_at);
  if (ta !== tb && !Number.isNaN(ta) && !Number.isNaN(tb)) {
    return ta - tb;
  }
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Orders two instants as the API writes them (ISO-8601 in UTC, as Java's Instant prints it: 0 to 9 digits of
 * fraction, so neither a string comparison nor Date.parse, which keeps milliseconds, would do).
 */
export function compareInstants(a: string, b: string): number {
  const [secondsA, fractionA = ''] = a.replace(/Z$/, '').split('.');
  const [secondsB, fractionB = ''] = b.replace(/Z$/, '').split('.');
  if (secondsA !== secondsB) {
    return secondsA < secondsB ? -1 : 1;
  }
  const fa = fractionA.padEnd(9, '0');
  const fb = fractionB.padEnd(9, '0');
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/**
 * Whether `incoming` is older than what is shown already. Answers and events can cross: an action's answer
 * (the instance as the action left it) may arrive after the event stream told of a later change, and must
 * not put the older state back (a terminated instance would show shutting-down for good).
 */
export function isOlder(incoming: Instance, shown: Instance | undefined): boolean {
  return shown !== undefined && shown.id === incoming.id && compareInstants(incoming.updated_at, shown.updated_at) < 0;
}

/**
 * Applies what the platform says an instance now is to one page of a list, in place (an Immer draft
 * or a plain object):
 * - an instance on the page is replaced where it stands (the list keeps its order);
 * - one that no longer matches the list's filters (e.g. a "running" list and a stopped instance) leaves it;
 * - a new one that matches joins the page that holds its place in the API's order (oldest first, so
 *   usually the last page), at that place; pages before or after its place are left alone.
 * Returns whether the page changed.
 */
export function applyInstanceToPage(page: Page<Instance>, instance: Instance, args: InstanceListArgs | undefined): boolean {
  const index = page.items.findIndex((i) => i.id === instance.id);
  if (index >= 0 && isOlder(instance, page.items[index])) {
    return false;
  }
  const matches = matchesFilters(instance, args);
  if (index >= 0) {
    if (matches) {
      page.items[index] = instance;
    } else {
      page.items.splice(index, 1);
    }
    return true;
  }
  if (!matches) {
    return false;
  }
  const items = page.items;
  const first = items[0];
  const last = items[items.length - 1];
  const isFirstPage = !args?.page_token;
  const isLastPage = !page.next_page_token;
  const afterStart = isFirstPage || (first !== undefined && compareInstances(instance, first) > 0);
  const beforeEnd = isLastPage || (last !== undefined && compareInstances(instance, last) < 0);
  if (!afterStart || !beforeEnd) {
    return false;
  }
  let at = items.findIndex((i) => compareInstances(instance, i) < 0);
  if (at < 0) {
    at = items.length;
  }
  items.splice(at, 0, instance);
  return true;
}

/** One state an instance was seen in during this session. */
export interface StateSeen {
  state: string;
  reason: string | null;
  /** When the console saw it (ISO). */
  at: string;
}

export const HISTORY_LIMIT = 50;

/** Appends a state to an instance's history unless it is the state last seen. */
export function appendState(history: StateSeen[] | undefined, instance: Instance, at: string): StateSeen[] {
  const list = history ?? [];
  const previous = list[list.length - 1];
  if (previous && previous.state === instance.state && previous.reason === (instance.state_reason ?? null)) {
    return list;
  }
  return [...list, { state: instance.state, reason: instance.state_reason ?? null, at }].slice(-HISTORY_LIMIT);
}
