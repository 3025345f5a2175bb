import { describe, expect, it } from 'vitest';
import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { apiError, json, stubFetch } from '../../test/http';
import { fill, renderAt } from '../../test/render';

const vpc = (n: number) => ({
  id: `0000000${n}-aaaa-bbbb-cccc-dddddddddddd`,
  name: `vpc-${n}`,
  cidr_block: `10.${n}.0.0/16`,
  description: null,
  state: 'available',
  user_id: 'u',
  main_route_table_id: 'rt',
  default_security_group_id: 'sg',
  default_network_acl_id: 'acl',
  created_at: '2026-11-26T10:00:00Z',
  updated_at: '2026-11-26T10:00:00Z',
});

describe('VPC list', () => {
  it('pages forward with the next page token and back again', async () => {
    const calls = stubFetch((call) => {
      if (call.url.startsWith('/api/v1/vpcs')) {
        return call.url.includes('page_token=t2')
          ? json(200, { items: [vpc(3)], next_page_token: null })
          : json(200, { items: [vpc(1), vpc(2)], next_page_token: 't2' });
      }
      return json(200, { items: [], next_page_token: null });
    });
    const user = userEvent.setup();
    renderAt('/vpcs');

    expect(await screen.findByText('vpc-1')).toBeInTheDocument();
    expect(screen.getByText(/Page 1 · 2 VPCs · more on the next page/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: /Next/ }));
    expect(await screen.findByText('vpc-3')).toBeInTheDocument();
    expect(screen.queryByText('vpc-1')).not.toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Next/ })).toBeDisabled();
    expect(calls.some((c) => c.url === '/api/v1/vpcs?limit=25&page_token=t2')).toBe(true);

    await user.click(screen.getByRole('button', { name: /Previous/ }));
    expect(await screen.findByText('vpc-1')).toBeInTheDocument();
    expect(screen.getByText(/Page 1/)).toBeInTheDocument();
  });

  it('shows an empty state that offers to create the first VPC', async () => {
    stubFetch(() => json(200, { items: [], next_page_token: null }));
    renderAt('/vpcs');
    expect(await screen.findByText('No VPCs yet')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: /Create your first VPC/ })).toBeInTheDocument();
  });

  it("shows a list failure in the API's words", async () => {
    stubFetch(() => apiError(500, 'InternalError', 'The request failed because of an internal error; report request id r-9'));
    renderAt('/vpcs');
    expect(await screen.findByText('The request failed because of an internal error; report request id r-9')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Try again' })).toBeInTheDocument();
  });
});

describe('Create VPC', () => {
  async function openForm() {
    const user = userEvent.setup();
    renderAt('/vpcs');
    await user.click(await screen.findByRole('button', { name: /Create your first VPC/ }));
    const dialog = await screen.findByRole('dialog');
    return { user, dialog };
  }

  it("checks the CIDR block before sending, in the API's words", async () => {
    const calls = stubFetch(() => json(200, { items: [], next_page_token: null }));
    const { user, dialog } = await openForm();
    fill(within(dialog).getByLabelText('Name'), 'demo');
    const cidr = within(dialog).getByLabelText('IPv4 CIDR block');
    fill(cidr, '10.0.0.0/8');
    await user.click(within(dialog).getByRole('button', { name: 'Create VPC' }));

    expect(
      await within(dialog).findByText("The CIDR '10.0.0.0/8' is invalid: a VPC's prefix length must be between /16 and /28"),
    ).toBeInTheDocument();
    expect(calls.filter((c) => c.method === 'POST')).toHaveLength(0);
  });

  it("shows the API's refusal under the field it concerns", async () => {
    stubFetch((call) =>
      call.method === 'POST'
        ? apiError(400, 'InvalidParameterValue', 'name must not contain control characters')
        : json(200, { items: [], next_page_token: null }),
    );
    const { user, dialog } = await openForm();
    fill(within(dialog).getByLabelText('Name'), 'demo');
    await user.click(within(dialog).getByRole('button', { name: 'Create VPC' }));

    const message = await within(dialog).findByText('name must not contain control characters');
    expect(message.closest('.ant-form-item')).toHaveTextContent('Name');
  });

  it('creates the VPC and opens it', async () => {
    const calls = stubFetch((call) => {
      if (call.method === 'POST') {
        return json(201, { ...vpc(7), name: 'demo' });
      }
      if (call.url.startsWith('/api/v1/vpcs/')) {
        return json(200, { ...vpc(7), name: 'demo' });
      }
      return json(200, { items: [], next_page_token: null });
    });
    const { user, dialog } = await openForm();
    fill(within(dialog).getByLabelText('Name'), 'demo');
    await user.click(within(dialog).getByRole('button', { name: 'Create VPC' }));

    await waitFor(() => expect(screen.getByRole('heading', { level: 3 })).toHaveTextContent('demo'));
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({ name: 'demo', cidr_block: '10.0.0.0/16' });
  });
});

describe('Delete VPC', () => {
  it('shows why the API refused to delete', async () => {
    stubFetch((call) =>
      call.method === 'DELETE'
        ? apiError(409, 'DependencyViolation', "The vpc '00000001' has dependencies and cannot be deleted: 1 subnet(s)")
        : json(200, { items: [vpc(1)], next_page_token: null }),
    );
    const user = userEvent.setup();
    renderAt('/vpcs');
    await screen.findByText('vpc-1');
    await user.click(screen.getByRole('button', { name: /Delete/ }));
    const dialog = await screen.findByRole('dialog');
    await user.click(within(dialog).getByRole('button', { name: /Delete/ }));
    expect(await within(dialog).findByText(/has dependencies and cannot be deleted: 1 subnet\(s\)/)).toBeInTheDocument();
    expect(within(dialog).getByText('It was not deleted')).toBeInTheDocument();
  });
});
