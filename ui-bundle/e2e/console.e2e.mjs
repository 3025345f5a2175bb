// End-to-end test of the console against a running platform, in Debian's Chromium driven by
// playwright-core (no browser download):
//   GCP_E2E_URL=http://127.0.0.1:8080 npm run e2e
// Optional: GCP_E2E_ADMIN_EMAIL / GCP_E2E_ADMIN_PASSWORD to also check the administrators' users page;
// GCP_E2E_CHROMIUM (default /usr/bin/chromium). Screenshots of the main pages go to target/screenshots.
// It registers a fresh user, so it can run again and again against the same platform.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const base = (process.env.GCP_E2E_URL ?? '').replace(/\/+$/, '');
if (!base) {
  console.error('Set GCP_E2E_URL to the platform, e.g. GCP_E2E_URL=http://127.0.0.1:8080 npm run e2e');
  process.exit(2);
}
const api = `${base}/api/v1`;
const shots = join(dirname(fileURLToPath(import.meta.url)), '..', 'target', 'screenshots');
mkdirSync(shots, { recursive: true });

const results = [];
let page;

async function expectEnabled(locator) {
  const deadline = Date.now() + 45_000;
  while (!(await locator.isEnabled()) || (await locator.getAttribute('class') ?? '').includes('ant-btn-loading')) {
    if (Date.now() > deadline) throw new Error('the button stayed disabled');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function step(name, fn) {
  const started = Date.now();
  try {
    await fn();
    results.push({ name, ok: true });
    console.log(`  ok   ${name} (${Date.now() - started} ms)`);
  } catch (error) {
    results.push({ name, ok: false });
    console.log(`  FAIL ${name}: ${error?.message ?? error}`);
    if (page) {
      await page.screenshot({ path: join(shots, `failure-${results.length}.png`), fullPage: true }).catch(() => undefined);
    }
    throw error;
  }
}

/**
 * Confirms a dialog and waits for it to close. A click that lands while the dialog is still opening can be lost
 * (seen on a loaded CI machine), so a dialog still open after a few seconds gets its button clicked again;
 * the actions behind these dialogs are idempotent or refused with a message, which then shows in the dialog.
 */
async function confirmDialog(dialog, button) {
  await dialog.waitFor();
  for (let attempt = 1; ; attempt++) {
    await dialog.getByRole('button', { name: button }).click();
    try {
      await dialog.waitFor({ state: 'hidden', timeout: 8000 });
      return;
    } catch (e) {
      if (attempt >= 3) throw e;
    }
  }
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function shot(name) {
  await page.waitForTimeout(300); // let animations settle
  await page.screenshot({ path: join(shots, `${name}.png`), fullPage: true });
}

async function apiCall(method, path, token, body) {
  const response = await fetch(`${api}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
const email = `e2e-${stamp}@example.com`;
const password = 'correct-horse-battery';
const vpcName = `e2e-vpc-${stamp}`;
const keyName = `e2e-key-${stamp}`;
const instanceName = `e2e-web-${stamp}`;
let vpcUrl;

const userDataDir = mkdtempSync(join(tmpdir(), 'gcp-e2e-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: process.env.GCP_E2E_CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
  viewport: { width: 1440, height: 900 },
});
context.setDefaultTimeout(45_000); // CI machines are small and busy
page = context.pages()[0] ?? (await context.newPage());
const consoleErrors = [];
page.on('pageerror', (e) => consoleErrors.push(String(e)));

let failed = false;
try {
  console.log(`Console end-to-end test against ${base}`);

  await step('the platform root redirects to the console, which is served with the right cache headers', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect([301, 302, 303, 307, 308].includes(root.status), `GET / answered ${root.status}`);
    expect(new URL(root.headers.get('location'), base).pathname === '/console/', `GET / redirects to ${root.headers.get('location')}`);
    const index = await fetch(`${base}/console/`);
    expect(index.status === 200 && index.headers.get('cache-control') === 'no-cache', 'index.html must be no-cache');
    const html = await index.text();
    const asset = /\/console\/assets\/[^"]+\.js/.exec(html)?.[0];
    expect(asset, 'index.html names no script');
    const script = await fetch(`${base}${asset}`);
    expect(script.status === 200 && /immutable/.test(script.headers.get('cache-control') ?? ''), 'hashed assets must be immutable');
    const deep = await fetch(`${base}/console/vpcs/does-not-matter`);
    expect(deep.status === 200 && (await deep.text()) === html, 'client-side routes must serve index.html');
  });

  await step('a visitor is sent to sign in', async () => {
    await page.goto(`${base}/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).pathname === '/console/login', `at ${page.url()}`);
    await shot('01-login');
  });

  await step('register a new account', async () => {
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('Username').fill(`e2e-${stamp}`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByLabel('Confirm password').fill(password);
    await shot('02-register');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByText('Your account is ready').waitFor();
  });

  await step('sign in and see the dashboard', async () => {
    expect((await page.getByLabel('Email').inputValue()) === email, 'the email is filled in after registering');
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText(`Signed in as ${email}.`).waitFor();
    await page.locator('.ant-skeleton').first().waitFor({ state: 'detached' }).catch(() => undefined);
    await shot('03-dashboard');
  });

  await step('the VPC list starts empty', async () => {
    await page.getByRole('menuitem', { name: 'VPCs' }).click();
    await page.getByText('No VPCs yet').waitFor();
    await shot('04-vpcs-empty');
  });

  await step("a bad CIDR block is refused inline with the API's InvalidVpc.Range message", async () => {
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('gcp.console.session')).accessToken);
    const answer = await apiCall('POST', '/vpcs', token, { name: 'too-big', cidr_block: '10.0.0.0/8' });
    expect(answer.status === 400 && answer.body.code === 'InvalidVpc.Range', `the API answered ${JSON.stringify(answer)}`);
    await page.getByRole('button', { name: 'Create your first VPC' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(vpcName);
    await dialog.getByLabel('IPv4 CIDR block').fill('10.0.0.0/8');
    await dialog.getByRole('button', { name: 'Create VPC' }).click();
    const item = dialog.locator('.ant-form-item').filter({ hasText: 'IPv4 CIDR block' });
    await item.getByText(answer.body.message, { exact: true }).waitFor();
    await shot('05-vpc-create-invalid-cidr');
  });

  await step('create a VPC', async () => {
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('IPv4 CIDR block').fill('10.20.0.0/16');
    await dialog.getByLabel('Description').fill('Created by the console end-to-end test');
    await dialog.getByRole('button', { name: 'Create VPC' }).click();
    await page.getByRole('heading', { name: vpcName }).waitFor();
    await page.getByText('No subnets in this VPC').waitFor();
    vpcUrl = page.url();
    await shot('06-vpc-detail-empty');
  });

  await step('create a subnet, with its available IP count', async () => {
    await page.getByRole('button', { name: 'Create subnet' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('web');
    expect((await dialog.getByLabel('IPv4 CIDR block').inputValue()) === '10.20.0.0/24', 'a free /24 is suggested');
    await dialog.getByRole('button', { name: 'Create subnet' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator('tr').filter({ hasText: '10.20.0.0/24' });
    await row.getByText('251').waitFor();
    await shot('07-vpc-detail-subnet');
  });

  await step("an overlapping subnet is refused inline with the API's InvalidSubnet.Conflict message", async () => {
    await page.getByRole('button', { name: 'Create subnet' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('overlap');
    await dialog.getByLabel('IPv4 CIDR block').fill('10.20.0.0/25');
    await dialog.getByRole('button', { name: 'Create subnet' }).click();
    await dialog.locator('.ant-form-item').filter({ hasText: 'IPv4 CIDR block' }).getByText(/conflicts with another subnet/).waitFor();
    await shot('08-subnet-conflict');
    await confirmDialog(dialog, 'Cancel');
  });

  await step("deleting a VPC that has a subnet shows the API's DependencyViolation message", async () => {
    await page.locator('.page-header').getByRole('button', { name: 'Delete' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('button', { name: 'Delete' }).click();
    await dialog.getByText(/has dependencies and cannot be deleted/).waitFor();
    await shot('09-vpc-delete-refused');
    await confirmDialog(dialog, 'Cancel');
  });

  await step('security group: create one, add an inbound rule (bad CIDR refused inline), delete it', async () => {
    await page.getByRole('tab', { name: 'Security groups' }).click();
    await page.getByRole('button', { name: 'Create security group' }).click();
    let dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('web-servers');
    await dialog.getByLabel('Description').fill('HTTPS and SSH from the office');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await page.getByRole('heading', { name: 'web-servers' }).waitFor();
    await page.locator('.ant-card').filter({ hasText: 'Inbound rules' }).getByRole('button', { name: 'Add rule' }).click();
    dialog = page.getByRole('dialog');
    await dialog.locator('input.mono').fill('203.0.113.1/24');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.getByText("'203.0.113.1/24' has host bits set; the block is 203.0.113.0/24").waitFor();
    await dialog.locator('input.mono').fill('203.0.113.0/24');
    await dialog.getByLabel('Description').fill('SSH from the office');
    await dialog.getByRole('button', { name: 'Add rule' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('tr').filter({ hasText: 'TCP 22' }).filter({ hasText: '203.0.113.0/24' }).waitFor();
    await shot('09b-security-group-detail');
    await page.locator('.page-header').getByRole('button', { name: 'Delete' }).click();
    await confirmDialog(page.getByRole('dialog'), 'Delete');
    await page.getByRole('heading', { name: 'Security groups', exact: true }).waitFor();
    await page.goto(vpcUrl);
    await page.getByRole('heading', { name: vpcName }).waitFor();
  });

  await step('internet gateway: attach one, route 0.0.0.0/0 to it, then remove both', async () => {
    await page.getByRole('tab', { name: 'Internet gateway' }).click();
    await page.getByRole('button', { name: 'Attach internet gateway' }).click();
    const attachDialog = page.getByRole('dialog');
    const attach = attachDialog.getByRole('button', { name: 'Attach' });
    // The dialog loads the tenant's gateways first; a click before that is lost on a busy machine.
    await expectEnabled(attach);
    await attach.click();
    await attachDialog.waitFor({ state: 'hidden' });
    await page.getByRole('tabpanel').getByText('attached', { exact: true }).waitFor();
    await page.locator('.ant-descriptions').first().getByRole('link').first().click(); // the main route table
    await page.getByRole('heading', { name: /main/ }).waitFor();
    await page.getByRole('button', { name: 'Add route' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('.ant-select').click();
    await page.locator('.ant-select-item-option').first().click();
    await dialog.getByRole('button', { name: 'Add route' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await page.locator('tr').filter({ hasText: '0.0.0.0/0' }).filter({ hasText: 'internet gateway' }).waitFor();
    await shot('09c-route-table');
    await page.locator('tr').filter({ hasText: '0.0.0.0/0' }).getByRole('button', { name: 'Delete' }).click();
    await confirmDialog(page.getByRole('dialog'), 'Delete');
    await page.locator('tr').filter({ hasText: '0.0.0.0/0' }).waitFor({ state: 'detached' });
    await page.goto(vpcUrl);
    await page.getByRole('heading', { name: vpcName }).waitFor();
    await page.getByRole('tab', { name: 'Internet gateway' }).click();
    await page.getByRole('tabpanel').getByRole('button', { name: 'Detach' }).click();
    await confirmDialog(page.getByRole('dialog'), 'Detach');
    await page.getByText('No internet gateway attached').waitFor();
    await page.goto(`${base}/console/internet-gateways`);
    const row = page.locator('tr').filter({ hasText: `${vpcName}-igw` });
    await row.waitFor();
    await shot('09d-internet-gateways');
    await row.getByRole('button', { name: 'Delete' }).click();
    await confirmDialog(page.getByRole('dialog'), 'Delete');
    await row.waitFor({ state: 'detached' });
    await page.goto(vpcUrl);
    await page.getByRole('heading', { name: vpcName }).waitFor();
  });

  await step('network ACL: add an inbound entry to the default ACL, then delete it', async () => {
    await page.locator('.ant-descriptions').first().getByRole('link').nth(2).click(); // the default network ACL
    await page.getByRole('heading', { name: /default/ }).waitFor();
    await page.locator('.ant-card').filter({ hasText: 'Inbound entries' }).getByRole('button', { name: 'Add entry' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Rule number').fill('90');
    await dialog.getByRole('button', { name: 'Add entry' }).click();
    await dialog.waitFor({ state: 'hidden' });
    const row = page.locator('.ant-card').filter({ hasText: 'Inbound entries' }).locator('tr').filter({ hasText: 'TCP 443' });
    await row.waitFor();
    await shot('09e-network-acl');
    await row.getByRole('button', { name: 'Delete' }).click();
    await confirmDialog(page.getByRole('dialog'), 'Delete');
    await row.waitFor({ state: 'detached' });
    await page.goto(vpcUrl);
    await page.getByRole('heading', { name: vpcName }).waitFor();
  });

  await step('the subnets page lists the subnet', async () => {
    await page.getByRole('menuitem', { name: 'Subnets' }).click();
    await page.locator('tr').filter({ hasText: '10.20.0.0/24' }).waitFor();
    await shot('10-subnets');
    await page.goBack();
    await page.getByRole('heading', { name: vpcName }).waitFor();
  });

  // Compute: runs once the platform serves instances (skipped, with the reason, before that).
  const token = () => page.evaluate(() => JSON.parse(localStorage.getItem('gcp.console.session')).accessToken);
  let computeSkip = null;
  let keyCreated = false;
  await step('compute: the platform serves instances (or the instance steps are skipped)', async () => {
    const answer = await apiCall('GET', '/instances?limit=1', await token());
    if (answer.status !== 200) {
      computeSkip = `GET /api/v1/instances answered ${answer.status} ${answer.body?.code ?? ''}`.trim();
      console.log(`  skip the instance steps: ${computeSkip}`);
    }
  });

  if (!computeSkip) {
    await step('key pairs: create one; its private key is shown once, with a .pem download', async () => {
      await page.getByRole('menuitem', { name: 'Key pairs' }).click();
      await page.getByRole('heading', { name: 'Key pairs', exact: true }).waitFor();
      await page.locator('.page-header').getByRole('button', { name: 'Create key pair' }).click();
      const form = page.getByRole('dialog', { name: 'Create key pair' });
      await form.getByLabel('Name').fill(keyName);
      await form.getByRole('button', { name: 'Create key pair' }).click();
      const shown = page.getByRole('dialog', { name: `Private key of ${keyName}` });
      await shown.getByText('This is the only time the private key is shown').waitFor();
      keyCreated = true;
      const pem = await shown.getByRole('textbox', { name: 'Private key' }).inputValue();
      expect(/BEGIN (RSA )?PRIVATE KEY/.test(pem), 'the private key is shown');
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        shown.getByRole('button', { name: 'Download .pem' }).click(),
      ]);
      expect(download.suggestedFilename() === `${keyName}.pem`, `the download is named ${download.suggestedFilename()}`);
      await shot('30-key-pair-private-key');
      await shown.getByRole('button', { name: 'I have saved it' }).click();
      await shown.waitFor({ state: 'hidden' });
      await page.locator('tr').filter({ hasText: keyName }).waitFor();
      const secret = pem.split('\n')[1];
      // (the dialog's content goes when its closing animation has ended)
      await page.waitForFunction((text) => !document.documentElement.outerHTML.includes(text), secret, { timeout: 10000 })
        .catch(() => expect(false, 'the private key is still in the page after closing'));
      await page.reload();
      await page.locator('tr').filter({ hasText: keyName }).waitFor();
      expect(!(await page.content()).includes(secret), 'the private key is shown again');
      await shot('31-key-pairs');
    });

    await step('launch a busybox instance into the subnet with the launch form', async () => {
      await page.getByRole('menuitem', { name: 'Instances' }).click();
      await page.getByRole('heading', { name: 'Instances', exact: true }).waitFor();
      await page.locator('.page-header').getByRole('button', { name: 'Launch instance' }).click();
      await page.getByRole('heading', { name: 'Launch instance' }).waitFor();
      const summary = page.locator('.ant-card').filter({ hasText: 'Summary' });
      await summary.getByText('busybox', { exact: true }).waitFor();
      // the VPC created above is the tenant's only one, so it and its subnet are preselected
      await summary.getByText('web (10.20.0.0/24)').waitFor();
      await page.locator('.ant-select-selection-item').filter({ hasText: 'default (default)' }).waitFor();
      await page.locator('.ant-select').filter({ has: page.getByLabel('Key pair', { exact: true }) }).click();
      await page.locator('.ant-select-item-option').filter({ hasText: keyName }).click();
      await page.getByLabel(/^Name/).fill(instanceName);
      await page.getByLabel(/^User data/).fill('#!/bin/sh\necho hello from the console e2e test\n');
      await summary.getByText(keyName).waitFor();
      await shot('32-launch-instance');
      await page.locator('form').getByRole('button', { name: /Launch$/ }).click();
      const outcome = await Promise.race([
        page.waitForURL(/\/console\/instances\/(?!launch)[^/?]+$/).then(() => 'launched', () => 'timeout'),
        page.getByRole('alert').filter({ hasText: 'No worker has room' }).waitFor().then(() => 'no-room', () => 'timeout'),
      ]);
      expect(outcome !== 'timeout', 'the launch neither opened the instance nor said why');
      if (outcome === 'no-room') {
        computeSkip = 'no worker has room for an instance (InsufficientInstanceCapacity): is a worker with Docker up?';
        console.log(`  skip the remaining instance steps: ${computeSkip}`);
        await shot('32b-launch-no-room');
        return;
      }
      await page.getByRole('heading', { name: instanceName }).waitFor();
    });
  }

  if (!computeSkip) {
    await step('the instance reaches running in the list without reloading (live updates)', async () => {
      await page.evaluate(() => {
        window.__gcpE2eNoReload = true;
      });
      await page.getByRole('menuitem', { name: 'Instances' }).click(); // a client-side navigation
      const row = page.locator('tr').filter({ hasText: instanceName });
      await row.waitFor();
      await row.locator('[data-state="running"]').waitFor({ timeout: 180_000 });
      expect(await page.evaluate(() => window.__gcpE2eNoReload === true), 'the page was reloaded');
      await row.getByText('10.20.0.4').waitFor(); // network+4: the first address IPAM hands out
      await shot('33-instances');
    });

    await step('instance detail: stop it (confirmed) and see stopped', async () => {
      await page.locator('tr').filter({ hasText: instanceName }).getByRole('link', { name: instanceName }).click();
      await page.getByRole('heading', { name: instanceName }).waitFor();
      const header = page.locator('.page-header');
      await header.locator('[data-state="running"]').waitFor();
      await page.getByText('Console output', { exact: true }).waitFor();
      await shot('34-instance-detail');
      await header.getByRole('button', { name: 'Stop' }).click();
      const dialog = page.getByRole('dialog', { name: 'Stop this instance?' });
      await confirmDialog(dialog, 'Stop');
      await header.locator('[data-state="stopped"]').waitFor({ timeout: 120_000 });
      expect(await header.getByRole('button', { name: 'Stop' }).isDisabled(), 'Stop stays enabled on a stopped instance');
      await page.locator('.ant-card').filter({ hasText: 'State history' }).locator('[data-state="stopped"]').waitFor();
    });

    await step('terminate it (confirmed) and see terminated, in the detail and in the list', async () => {
      const header = page.locator('.page-header');
      await header.getByRole('button', { name: 'Terminate' }).click();
      const dialog = page.getByRole('dialog', { name: 'Terminate this instance?' });
      await confirmDialog(dialog, 'Terminate');
      await header.locator('[data-state="terminated"]').waitFor({ timeout: 120_000 });
      await shot('35-instance-terminated');
      await page.getByRole('menuitem', { name: 'Instances' }).click();
      await page.locator('tr').filter({ hasText: instanceName }).locator('[data-state="terminated"]').waitFor();
    });
  }

  if (keyCreated) {
    await step('delete the key pair (confirmed)', async () => {
      await page.goto(`${base}/console/key-pairs`);
      const row = page.locator('tr').filter({ hasText: keyName });
      await row.getByRole('button', { name: 'Delete' }).click();
      await confirmDialog(page.getByRole('dialog'), 'Delete');
      await row.waitFor({ state: 'detached' });
    });
  }
  if (page.url() !== vpcUrl) {
    await page.goto(vpcUrl);
    await page.getByRole('heading', { name: vpcName }).waitFor();
  }

  await step('delete the subnet, then the VPC', async () => {
    await page.locator('tr').filter({ hasText: '10.20.0.0/24' }).getByRole('button', { name: 'Delete' }).click();
    let dialog = page.getByRole('dialog');
    await confirmDialog(dialog, 'Delete');
    await page.getByText('No subnets in this VPC').waitFor();
    await page.locator('.page-header').getByRole('button', { name: 'Delete' }).click();
    dialog = page.getByRole('dialog');
    await confirmDialog(dialog, 'Delete');
    await page.getByText('No VPCs yet').waitFor();
    expect(new URL(page.url()).pathname === '/console/vpcs', `at ${page.url()}`);
  });

  await step('the other pages render (screenshots)', async () => {
    const pages = [
      ['security-groups', 'Security groups'],
      ['route-tables', 'Route tables'],
      ['network-acls', 'Network ACLs'],
      ['internet-gateways', 'Internet gateways'],
      ['elastic-ips', 'Elastic IPs'],
      ['instances', 'Instances'],
      ['key-pairs', 'Key pairs'],
      ['images', 'Images'],
      ['instance-types', 'Instance types'],
    ];
    let n = 11;
    for (const [path, title] of pages) {
      await page.goto(`${base}/console/${path}`);
      await page.getByRole('heading', { name: title, exact: true }).waitFor();
      await page.locator('.ant-spin-spinning').first().waitFor({ state: 'detached' }).catch(() => undefined);
      await shot(`${n++}-${path}`);
    }
    await page.goto(`${base}/console/no-such-page`);
    await page.getByText('Page not found').waitFor();
  });

  await step('a tenant does not see the administrators\' pages', async () => {
    expect((await page.getByRole('menuitem', { name: 'Users' }).count()) === 0, 'the Users entry is shown to a tenant');
    expect((await page.getByRole('menuitem', { name: 'Workers' }).count()) === 0, 'the Workers entry is shown to a tenant');
    await page.goto(`${base}/console/admin/users`);
    await page.getByText('Administrators only').waitFor();
  });

  await step('a session whose refresh token is refused ends on the session-expired page', async () => {
    await page.evaluate(() => {
      const s = JSON.parse(localStorage.getItem('gcp.console.session'));
      localStorage.setItem('gcp.console.session', JSON.stringify({ ...s, accessToken: 'expired.e30.x', refreshToken: 'revoked' }));
    });
    await page.goto(`${base}/console/vpcs`);
    await page.getByText('Your session has ended').waitFor();
    await shot('20-session-expired');
    await page.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect(new URL(page.url()).searchParams.get('next') === '/vpcs', `at ${page.url()}`);
  });

  await step('sign in again, land where we were, and sign out', async () => {
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'VPCs', exact: true }).waitFor();
    const session = JSON.parse(await page.evaluate(() => localStorage.getItem('gcp.console.session')));
    const logout = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/logout');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect((await page.evaluate(() => localStorage.getItem('gcp.console.session'))) === null, 'the session is forgotten');
    // ... and ended on the platform: its refresh token no longer works.
    expect((await logout).status() === 204, 'the console told the platform');
    const refreshed = await apiCall('POST', '/auth/refresh', null, { refresh_token: session.refreshToken });
    expect(refreshed.status === 401, `the signed-out session's refresh token still works: ${refreshed.status}`);
  });

  if (process.env.GCP_E2E_ADMIN_EMAIL && process.env.GCP_E2E_ADMIN_PASSWORD) {
    await step('an administrator sees the users page', async () => {
      await page.getByLabel('Email').fill(process.env.GCP_E2E_ADMIN_EMAIL);
      await page.getByLabel('Password').fill(process.env.GCP_E2E_ADMIN_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
      await page.getByRole('menuitem', { name: 'Users' }).click();
      await page.locator('tr').filter({ hasText: email }).waitFor();
      await shot('21-admin-users');
    });

    const nodes = await apiCall('GET', '/nodes?limit=1', await token());
    if (nodes.status === 200) {
      await step('an administrator sees the workers, with their capacity', async () => {
        await page.getByRole('menuitem', { name: 'Workers' }).click();
        await page.getByRole('heading', { name: 'Workers', exact: true }).waitFor();
        if (nodes.body.items.length > 0) {
          await page.locator('tr').filter({ hasText: nodes.body.items[0].hostname }).getByText(/ago|just now|never/).waitFor();
        } else {
          await page.getByText('No workers yet').waitFor();
        }
        await shot('22-admin-workers');
        await page.getByRole('menuitem', { name: 'Dashboard' }).click();
        await page.getByText('vCPUs allocated (all workers)').waitFor();
        await shot('23-admin-dashboard');
      });
    } else {
      console.log(`  skip the workers page: GET /api/v1/nodes answered ${nodes.status} ${nodes.body?.code ?? ''}`);
    }
  }

  await step('no script errors in the page', async () => {
    expect(consoleErrors.length === 0, consoleErrors.join('\n'));
  });
} catch {
  failed = true;
} finally {
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

const passed = results.filter((r) => r.ok).length;
console.log(`Screenshots in ${shots}`);
console.log(`${passed} passed, ${results.length - passed} failed`);
process.exit(failed ? 1 : 0);
