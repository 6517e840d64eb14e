// Screenshots of every page of the dashboard for the README, in
// docs/screenshots/: 1400 × 900 each, and the dashboard at phone size
// (390 × 844). Run by hand, against a daemon that run_dashboard.py
// prepares with the corpus data:
//
//   python3 tests/browser/run_dashboard.py --screenshots
//
// (or against any running daemon: OF_URL, OF_USER and OF_PASSWORD set,
// `node tests/browser/screenshots.mjs`).
import fs from 'node:fs';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {chromium} from 'playwright-core';
import {sendCapture} from './capture.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const out = path.resolve(here, '..', '..', 'docs', 'screenshots');
const BASE = process.env.OF_URL;
const exp = process.env.OF_EXPECT ? JSON.parse(fs.readFileSync(process.env.OF_EXPECT, 'utf8')) : null;
const host = exp ? exp.host : '0.0.0.0';

async function settle(page) {
  await page.waitForLoadState('networkidle');
  await page.waitForTimeout(700);
}

async function shot(page, name) {
  await settle(page);
  const file = path.join(out, name + '.png');
  await page.screenshot({path: file});
  console.log('wrote ' + path.relative(process.cwd(), file));
}

fs.mkdirSync(out, {recursive: true});
if (exp && process.env.OF_NF_PORT) {
  // an exporter for the collector's status
  await sendCapture(exp.live_capture, Number(process.env.OF_NF_PORT));
}
const browser = await chromium.launch({
  executablePath: process.env.OF_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars'],
});
try {
  const page = await browser.newPage({viewport: {width: 1400, height: 900}});
  await page.goto(BASE);
  await page.locator('#login-form').waitFor();
  await page.fill('#login-user', process.env.OF_USER);
  await shot(page, 'login');
  await page.fill('#login-password', process.env.OF_PASSWORD);
  await page.click('#login-form button[type=submit]');
  await page.locator('#topbar').waitFor({state: 'visible'});
  const pages = [
    ['dashboard', '#/'],
    ['host', '#/host?' + new URLSearchParams({ip: host, period: 'hour'})],
    ['top', '#/top?class=web&dir=R&hours=1'],
    ['settings', '#/settings'],
    ['users', '#/users'],
  ];
  for (const [name, hash] of pages) {
    await page.evaluate((h) => {
      location.hash = h;
    }, hash);
    if (name === 'settings') await page.waitForTimeout(5500); // two polls: rates
    await shot(page, name);
  }
  await page.setViewportSize({width: 390, height: 844});
  await page.evaluate(() => {
    location.hash = '#/';
  });
  await page.reload();
  await page.locator('#month-dl').waitFor();
  await shot(page, 'dashboard-phone');
} finally {
  await browser.close();
}
