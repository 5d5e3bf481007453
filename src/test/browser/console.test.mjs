// The console page in a real browser (chromium driven by playwright-core), against the WAR deployed
// on the test Tomcat. Run by ConsoleBrowserIT: node console.test.mjs <page URL> <operator token>.
// Exits 0 when every check passed, else 1 saying which failed. Any console error on the page fails.
import { chromium } from 'playwright-core';

const [base, token] = process.argv.slice(2);
const executablePath = process.env.CHROMIUM || '/usr/bin/chromium';
const WAIT = 20000;
const errors = [];
let step = 'start';

function check(condition, what) {
  if (!condition) throw new Error(what);
}

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox', '--disable-gpu'] });
let page;
try {
  page = await browser.newPage();
  let signedIn = false;
  page.on('console', message => {
    // Until the operator has given the token, the operator API answers 401, as it should.
    const expected = !signedIn && /status of 401/.test(message.text());
    if (message.type() === 'error' && !expected) errors.push('console: ' + message.text());
  });
  page.on('pageerror', error => errors.push('page: ' + error.message));
  await page.goto(base);

  step = 'an operator gives the token the page asks for';
  await page.locator('#operator').waitFor({ timeout: WAIT });
  await page.fill('#operator input[name=token]', token);
  signedIn = true;
  await page.click('#operator button');
  await page.locator('#dead-total', { hasText: /\(\d+\)/ }).waitFor({ timeout: WAIT });

  step = 'publish "hello" and see "HELLO" in the live view';
  const topic2 = page.locator('.topic', { hasText: 'default-cache / topic 2' });
  await topic2.locator('span', { hasText: 'live' }).waitFor({ timeout: WAIT });
  await page.fill('#publish input[name=topic]', 'topic 1');
  await page.fill('#publish input[name=text]', 'hello');
  await page.click('#publish button');
  await topic2.locator('li', { hasText: /^HELLO$/ }).waitFor({ timeout: WAIT });

  step = 'the charts draw data after traffic';
  await page.waitForFunction(() => {
    const box = document.getElementById('chart-events-in');
    return box && Number(box.dataset.points) >= 2 && Number(box.dataset.max) > 0 &&
      box.querySelector('polyline').getAttribute('points').split(' ').length >= 2;
  }, null, { timeout: WAIT });
  for (const id of ['events-out', 'ack-p99', 'end-to-end-p99', 'backlog']) {
    check(await page.locator('#chart-' + id + ' polyline').count() === 1, 'chart ' + id + ' drawn');
  }
  check((await page.locator('.stat', { hasText: 'events received' }).count()) === 1,
    'the counters are named in words');
  const seed = page.locator('tr[data-route=seed] td.num').first();
  check(Number(await seed.textContent()) >= 1, 'the seed route counts its events');

  step = 'a message too large for Momento appears under dead letters, and Replay and Delete work';
  const big = 'x'.repeat(4000); // the envelope makes more than Momento's 4 KB of it
  await page.fill('#publish input[name=topic]', 'big in');
  await page.fill('#publish input[name=text]', big);
  await page.click('#publish button');
  const letter = page.locator('#dead tr', { hasText: 'default-cache / big in' }).first();
  await letter.waitFor({ timeout: WAIT });
  const id = await letter.getAttribute('data-id');
  const deadAt = await letter.getAttribute('data-dead-at');
  await letter.locator('button', { hasText: 'Replay' }).click();
  await page.locator('#dead-result', { hasText: 'replayed ' + id }).waitFor({ timeout: WAIT });
  // Replayed, it is processed again, fails again (still too large) and is a dead letter again.
  const again = page.locator('#dead tr[data-id="' + id + '"]:not([data-dead-at="' + deadAt + '"])');
  await again.waitFor({ timeout: WAIT });
  await again.locator('button', { hasText: 'Delete' }).click();
  await page.locator('#dead-result', { hasText: 'deleted ' + id }).waitFor({ timeout: WAIT });
  await page.locator('#dead tr[data-id="' + id + '"]').waitFor({ state: 'detached', timeout: WAIT });

  step = 'pause stops the flow, and resume brings the held events through';
  await page.click('#pause');
  await page.locator('#processing', { hasText: 'Paused' }).waitFor({ timeout: WAIT });
  await page.fill('#publish input[name=topic]', 'topic 1');
  for (const text of ['held one', 'held two']) {
    await page.fill('#publish input[name=text]', text);
    await page.click('#publish button');
    await page.locator('#publish-result', { hasText: 'published' }).waitFor({ timeout: WAIT });
  }
  await page.waitForTimeout(3000);
  check(await topic2.locator('li', { hasText: /^HELD / }).count() === 0, 'nothing through while paused');
  await page.click('#resume');
  await page.locator('#processing', { hasText: /^Processing$/ }).waitFor({ timeout: WAIT });
  await topic2.locator('li', { hasText: /^HELD ONE$/ }).waitFor({ timeout: WAIT });
  await topic2.locator('li', { hasText: /^HELD TWO$/ }).waitFor({ timeout: WAIT });

  step = 'no console error on the page';
  check(errors.length === 0, errors.join('\n'));
  console.log('console page: every check passed');
} catch (e) {
  console.error('console page: FAILED at "' + step + '": ' + e.message);
  if (errors.length) console.error('errors on the page:\n' + errors.join('\n'));
  process.exitCode = 1;
  if (page && process.env.SCREENSHOT) {
    await page.screenshot({ path: process.env.SCREENSHOT, fullPage: true }).catch(() => {});
    console.error('the page as it was: ' + process.env.SCREENSHOT);
  }
} finally {
  await browser.close();
}
