import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, json, stubFetch, type Call } from '../../test/http';
import { fill, renderAt } from '../../test/render';
import { instance } from '../../test/fixtures';
import { buildLaunchRequest, defaultGroups, defaultImage, defaultInstanceType, launchErrors, tagsError, userDataError } from './launch';
import { computeError } from './errors';

const complete = { image_id: 'img-1', instance_type: 't2.micro', vpc_id: 'vpc-a', subnet_id: 'sub-a' };

describe('launch form: checks and the request', () => {
  it('names every missing choice', () => {
    expect(launchErrors({}).map((e) => e.field)).toEqual(['image_id', 'instance_type', 'vpc_id', 'subnet_id']);
    expect(launchErrors(complete)).toEqual([]);
  });

  it('limits user data to 16 KiB, counted in UTF-8 bytes', () => {
    expect(userDataError('#!/bin/sh\necho hi')).toBeNull();
    expect(userDataError('x'.repeat(16 * 1024))).toBeNull();
    expect(userDataError('é'.repeat(8 * 1024 + 1))).toMatch(/at most 16 KiB; this is 16386 bytes/);
    expect(launchErrors({ ...complete, user_data: 'x'.repeat(16 * 1024 + 1) }).map((e) => e.field)).toEqual(['user_data']);
  });

  it('checks tags: keys required and unique, at most 50', () => {
    expect(tagsError([{ key: 'env', value: 'prod' }, { key: '', value: '' }])).toBeNull();
    expect(tagsError([{ key: '', value: 'orphan' }])).toBe('Every tag needs a key.');
    expect(tagsError([{ key: 'a', value: '1' }, { key: ' a ', value: '2' }])).toBe("The tag key 'a' is used twice.");
    expect(tagsError(Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: '' })))).toMatch(/at most 50 tags/);
  });

  it('builds the body: trimmed, empty parts left out, tags as an object', () => {
    expect(buildLaunchRequest({ ...complete, name: '  ', key_name: '', user_data: '  ', security_group_ids: [], tags: [] })).toEqual({
      image_id: 'img-1',
      instance_type: 't2.micro',
      subnet_id: 'sub-a',
    });
    expect(
      buildLaunchRequest({
        ...complete,
        name: ' web-1 ',
        key_name: 'laptop',
        user_data: '#!/bin/sh\necho hi\n',
        security_group_ids: ['sg-1', 'sg-2'],
        tags: [{ key: ' env ', value: 'prod' }, { key: '', value: '' }],
      }),
    ).toEqual({
      name: 'web-1',
      image_id: 'img-1',
      instance_type: 't2.micro',
      subnet_id: 'sub-a',
      security_group_ids: ['sg-1', 'sg-2'],
      key_name: 'laptop',
      user_data: '#!/bin/sh\necho hi\n',
      tags: { env: 'prod' },
    });
  });

  it('picks busybox, the smallest type and the default group', () => {
    const img = (name: string, is_public: boolean) => ({ id: name, name, is_public }) as never;
    expect(defaultImage([img('alpine', true), img('busybox', true)])?.id).toBe('busybox');
    const t = (name: string, cpu: number, memory: number) => ({ name, cpu, memory }) as never;
    expect(defaultInstanceType([t('large', 2, 4096), t('micro', 1, 1024), t('nano', 1, 512)])?.name).toBe('nano');
    const g = (id: string, vpc_id: string, is_default: boolean) => ({ id, vpc_id, is_default }) as never;
    expect(defaultGroups([g('sg-1', 'vpc-a', false), g('sg-d', 'vpc-a', true), g('sg-x', 'vpc-b', true)], 'vpc-a')).toEqual(['sg-d']);
  });

  it('puts the API refusals in words, with the field they concern', () => {
    const capacity = computeError({ status: 503, data: { code: 'InsufficientInstanceCapacity', message: 'no worker has room', request_id: 'r' } });
    expect(capacity?.message).toMatch(/No worker has room/);
    expect(capacity?.field).toBeUndefined();
    const subnet = computeError({ status: 400, data: { code: 'InsufficientFreeAddressesInSubnet', message: 'full', request_id: 'r' } });
    expect(subnet?.field).toBe('subnet_id');
    expect(computeError({ status: 409, data: { code: 'IncorrectInstanceState', message: 'x', request_id: 'r' } })?.message).toMatch(
      /not in a state that allows this/,
    );
  });
});

function platform(onLaunch: (call: Call) => Response) {
  return stubFetch((call) => {
    const list = (items: unknown[]) => json(200, { items, next_page_token: null });
    if (call.method === 'POST' && call.url === '/api/v1/instances') return onLaunch(call);
    if (call.url.startsWith('/api/v1/images'))
      return list([
        { id: 'img-alpine', name: 'alpine', os: 'linux', version: '3', format: 'docker-rootfs', is_public: true },
        { id: 'img-busybox', name: 'busybox', os: 'linux', version: '1.36', format: 'docker-rootfs', is_public: true },
      ]);
    if (call.url.startsWith('/api/v1/instance-types'))
      return list([
        { name: 't2.small', cpu: 1, memory: 2048, storage: 10, network: 'low', price: 0.02 },
        { name: 't2.micro', cpu: 1, memory: 1024, storage: 8, network: 'low', price: 0.01 },
      ]);
    if (call.url.startsWith('/api/v1/vpcs')) return list([{ id: 'vpc-a', name: 'demo', cidr_block: '10.20.0.0/16' }]);
    if (call.url.startsWith('/api/v1/subnets'))
      return list([{ id: 'sub-a', vpc_id: 'vpc-a', name: 'web', cidr_block: '10.20.0.0/24', available_ip_address_count: 251 }]);
    if (call.url.startsWith('/api/v1/security-groups'))
      return list([
        { id: 'sg-default', vpc_id: 'vpc-a', name: 'default', is_default: true, rules: [] },
        { id: 'sg-web', vpc_id: 'vpc-a', name: 'web', is_default: false, rules: [] },
      ]);
    if (call.url.startsWith('/api/v1/instances/i-0001')) return json(200, instance(1, { name: 'web-1', state: 'pending' }));
    return list([]);
  });
}

async function readyForm() {
  const user = userEvent.setup();
  const view = renderAt('/instances/launch');
  const summary = await screen.findByText('Summary');
  const card = summary.closest('.ant-card') as HTMLElement;
  await within(card).findByText('busybox');
  await within(card).findByText('web (10.20.0.0/24)');
  await waitFor(() => expect(within(card).getByText('Security groups').closest('tr')).toHaveTextContent('1'));
  return { user, card, ...view };
}

describe('launch page', () => {
  it('launches busybox with the defaults, name and tags, then opens the instance', async () => {
    const calls = platform(() => json(201, instance(1, { name: 'web-1', state: 'pending' })));
    const { user, router } = await readyForm();
    fill(screen.getByLabelText(/^Name/), 'web-1');
    await user.click(screen.getByRole('button', { name: /Add tag/ }));
    fill(await screen.findByLabelText('Tag key'), 'env');
    fill(screen.getByLabelText('Tag value'), 'test');
    fill(screen.getByLabelText(/^User data/), '#!/bin/sh\necho hi');
    await user.click(screen.getByRole('button', { name: /Launch/ }));

    await waitFor(() => expect(router.state.location.pathname).toBe('/instances/i-0001'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'web-1',
      image_id: 'img-busybox',
      instance_type: 't2.micro',
      subnet_id: 'sub-a',
      security_group_ids: ['sg-default'],
      user_data: '#!/bin/sh\necho hi',
      tags: { env: 'test' },
    });
  });

  it('shows a refusal in words and stays on the form', async () => {
    platform(() => apiError(503, 'InsufficientInstanceCapacity', 'No worker has room for t2.micro'));
    const { user, router } = await readyForm();
    await user.click(screen.getByRole('button', { name: /Launch/ }));
    expect(await screen.findByText(/No worker has room for this instance right now/)).toBeInTheDocument();
    expect(screen.getByText('No worker has room for t2.micro')).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/instances/launch');
  });
});
