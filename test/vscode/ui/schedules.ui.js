// Schedules at the cursor as a user meets them, in a real workbench with the packaged extension, on a copy
// of examples/: hovering the schedule in a task file shows its words and next runs; Preview Schedules in
// Europe/Berlin for the week of next spring's change marks the DST change (02:00 → 03:00, CET → CEST) and
// a click on a run says why it is there.
'use strict';
const assert = require('assert');
const path = require('path');
const browser = require('../browser');
const cs = require('../codeServer');
const { useWorkbench, ids } = require('./workbench');

/** The last Sunday of March after today (Europe/Berlin changes clocks then), and the Monday before it. */
function nextSpringChange(now = new Date()) {
  for (let year = now.getUTCFullYear(); ; year++) {
    const lastSunday = new Date(Date.UTC(year, 2, 31));
    lastSunday.setUTCDate(31 - lastSunday.getUTCDay());
    if (lastSunday.getTime() > now.getTime()) {
      const monday = new Date(lastSunday.getTime() - 6 * 86_400_000);
      return { sunday: lastSunday.toISOString().slice(0, 10), monday: monday.toISOString().slice(0, 10) };
    }
  }
}

describe('UI: schedules at the cursor', function () {
  this.timeout(180_000);
  const wb = useWorkbench({ workspace: path.join(cs.ROOT, 'examples') });
  const frame = () => wb.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');

  async function openFile(name) {
    await wb.page.keyboard.press('Control+P');
    const input = wb.page.locator('.quick-input-widget .quick-input-box input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    await wb.page.locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: name }).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.tabs-container .tab', { hasText: name }).waitFor();
  }

  it('hovering a schedule in a task file shows its words and next runs', async () => {
    await openFile('weekday-standup.task.ts');
    const schedule = wb.page.locator('.editor-instance .view-line span', { hasText: '0 9 * * 1-5' }).last();
    await schedule.waitFor();
    const hover = wb.page.locator('.monaco-hover', { hasText: 'Next runs' });
    // The hover comes after the pointer rests on the text; move off and back if the first rest is missed.
    for (let attempt = 1; ; attempt++) {
      await wb.page.mouse.move(5, 5);
      await schedule.hover();
      if (await hover.waitFor({ timeout: 10_000 }).then(() => true, () => false)) break;
      if (attempt === 3) assert.fail('no hover with the next runs');
    }
    const text = await hover.innerText();
    assert.match(text, /At 09:00, Monday through Friday/);
    assert.match(text, /Next runs\s+Europe\/Berlin/);
    const rows = text.split('\n').filter((l) => /^in \d/.test(l.trim()));
    assert.strictEqual(rows.length, 5, `five next runs, in: ${text}`);
    assert.match(rows[0], /(Mon|Tue|Wed|Thu|Fri) \d{4}-\d\d-\d\d 09:00 CES?T/);
    assert.match(text, /Preview/);
    await browser.screenshot(wb.page, 'ui-schedule-hover');
    await wb.page.mouse.move(5, 5);
  });

  it('Preview Schedules shows the DST change in Europe/Berlin in late March, and why a run is there', async () => {
    const { sunday, monday } = nextSpringChange();
    await browser.runCommand(wb.page, `${ids.CATEGORY}: ${ids.COMMAND_TITLES[ids.CommandId.PreviewSchedules]}`);
    await frame().locator('#zone').waitFor({ timeout: 60_000 });
    await frame().locator('#zone').fill('Europe/Berlin');
    await frame().locator('#zone').press('Enter');
    await frame().locator('#title', { hasText: 'in Europe/Berlin' }).waitFor();
    await frame().locator('#range').selectOption('week');
    await frame().locator('#start').fill(monday);
    await frame().locator('#title', { hasText: `${monday} to ${sunday} in Europe/Berlin` }).waitFor();
    const change = frame().locator('#notes .dst-change');
    await change.waitFor();
    assert.match(await change.innerText(), new RegExp(`DST in Europe/Berlin: Sun ${sunday} 02:00 → 03:00 \\(CET → CEST, UTC\\+02:00\\): clocks go forward`));
    assert.strictEqual(await frame().locator('#chart svg.axis .dst-line.forward').count(), 1, 'the change is drawn on the time axis');
    // A click on a run of the weekday task explains it.
    const row = frame().locator('#chart .row', { has: frame().locator('.task-name', { hasText: 'Weekday standup note' }) });
    const runs = row.locator('circle.run');
    assert.strictEqual(await runs.count(), 5, 'Monday to Friday at 09:00');
    await runs.first().click();
    const explain = frame().locator('#explain');
    await explain.locator('h3', { hasText: 'Weekday standup note' }).waitFor();
    assert.match(await explain.innerText(), /Schedule: "0 9 \* \* 1-5" — At 09:00, Monday through Friday/);
    assert.match(await explain.innerText(), /Matches minute 0 \("0"\), hour 9 \("9"\), Monday \d+ March/);
    await browser.screenshot(wb.page, 'ui-schedule-preview-dst');
  });
});
