import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as XLSX from '@e965/xlsx';
import type { Page, TestInfo } from '@playwright/test';
import { decodePngQr } from '../../services/print/qr';
import { expect, fixture, prepareSeniorCounter, screenshot, test, upload } from './support';
import type { Host } from './support';

const UNIT = '四川华西集团有限公司';

// The host and the browser both on UTC: every paper must still say the office's 09:30.
const hostZone = process.env.TZ;
test.beforeAll(() => { process.env.TZ = 'UTC'; });
test.afterAll(() => { process.env.TZ = hostZone; });
test.use({ timezoneId: 'UTC' });

async function sealedVisit(host: Host): Promise<number> {
  await prepareSeniorCounter(host);
  const visit = await host.api('visits.create', { unit: UNIT, agentName: '李明', agentPhone: '13800000000', certificateType: '高级专业技术职务资格证书', slipNo: 'QZ2026-0006', slipCount: 40, slipSigner: '谢天涛' });
  await host.api('visits.importRoster', { visitId: visit.id, ...upload(fixture('rosters/senior-clean.xlsx')) });
  await host.api('visits.seal', { visitId: visit.id });
  return visit.id;
}

/** Poppler on a PDF the app handed over: its text, its images, and a picture of a page (kept with the test's output). */
function poppler(path: string) {
  return {
    text: () => execFileSync('pdftotext', ['-layout', path, '-']).toString('utf8'),
    images: () => execFileSync('pdfimages', ['-list', path]).toString('utf8').trim().split('\n').slice(2),
    page: (out: string, dpi = 150) => {
      execFileSync('pdftoppm', ['-r', String(dpi), '-png', '-singlefile', path, out]);
      return readFileSync(`${out}.png`);
    },
  };
}

/** Where the pad is once its modal has finished opening (antd zooms it in). */
async function padBox(page: Page) {
  const pad = page.getByTestId('signature-pad');
  await expect(pad).toBeVisible();
  await page.evaluate(() => Promise.all(document.getAnimations().map((a) => a.finished.catch(() => undefined))));
  return (await pad.boundingBox())!;
}

/** Opens a form from a 打印… menu, saves the PDF the viewer shows, and closes the viewer. */
async function printFrom(page: Page, testInfo: TestInfo, menu: string, form: string): Promise<string> {
  await page.getByTestId(`${menu}-print`).click();
  await page.getByTestId(`${menu}-print-${form}`).click();
  return savePdf(page, testInfo, `${menu}-${form}`);
}

async function savePdf(page: Page, testInfo: TestInfo, name: string): Promise<string> {
  await expect(page.getByTestId('pdf-frame')).toBeVisible();
  const downloading = page.waitForEvent('download');
  await page.getByTestId('pdf-download').click();
  const path = testInfo.outputPath(`${name}.pdf`);
  await (await downloading).saveAs(path);
  await page.getByTestId('pdf-close').click();
  await expect(page.getByTestId('pdf-frame')).toHaveCount(0);
  return path;
}

test('papers from a sealed visit and from 登记簿: the agent signs on screen, the register sheet carries the signature, its QR is scanned and verified', async ({ page, host }, testInfo) => {
  const visitId = await sealedVisit(host);
  await page.goto(host.url);
  await page.getByTestId('nav-visits').click();
  await page.getByText('已签章', { exact: true }).click();
  await page.getByRole('row', { name: new RegExp(UNIT) }).click();
  await expect(page.getByTestId('visit-papers')).toBeVisible();

  let signedSheet = '';
  await test.step('the agent signs on the pad with the mouse; the register sheet then shows the signature', async () => {
    await page.getByTestId('visit-sign-on-screen').click();
    const box = await padBox(page);
    await page.mouse.move(box.x + 30, box.y + box.height / 2);
    await page.mouse.down();
    for (let x = 30; x <= box.width - 30; x += 6) await page.mouse.move(box.x + x, box.y + box.height / 2 + 25 * Math.sin(x / 20));
    await page.mouse.up();
    await screenshot(page, testInfo, 'signature-pad');
    await page.getByTestId('signature-confirm').click();
    await expect(page.getByText('经办人签字已记入登记簿（第 2 号登记）')).toBeVisible();
    signedSheet = await savePdf(page, testInfo, 'signed-register-sheet');
    const text = poppler(signedSheet).text();
    expect(text).toContain('李明');
    expect(text.replace(/\s+/g, '')).toContain('屏幕手写签字');
    expect(text).toContain('2026-11-24');
    expect(text).toContain('09:30');
    expect(text).not.toContain('01:30');
    // The QR and the signature drawing.
    expect(poppler(signedSheet).images().length).toBeGreaterThanOrEqual(2);
    poppler(signedSheet).page(testInfo.outputPath('signed-register-sheet'));
  });

  await test.step('a second signature for the same sealing is refused in Chinese', async () => {
    await page.getByTestId('visit-sign-on-screen').click();
    const box = await padBox(page);
    await page.mouse.move(box.x + 40, box.y + 40);
    await page.mouse.down();
    await page.mouse.move(box.x + 200, box.y + 60, { steps: 10 });
    await page.mouse.up();
    await page.getByTestId('signature-confirm').click();
    await expect(page.locator('.ant-modal .ant-alert-error')).toContainText('已在屏幕上签过字');
    await page.keyboard.press('Escape');
  });

  await test.step('each of the visit\'s other forms prints from the visit', async () => {
    const titles = { roster: '核验后的发证名册', returns: '退回清单', receipt: '签章回执' } as const;
    for (const [form, title] of Object.entries(titles)) {
      const text = poppler(await printFrom(page, testInfo, 'visit', form)).text();
      expect(text).toContain(title);
      expect(text).toContain(`第 ${visitId} 号办证：${UNIT}`);
      const pages = Number(/第1页\/共(\d+)页/.exec(text.replace(/\s+/g, ''))?.[1]);
      expect(text.replace(/\s+/g, '')).toContain(`第${pages}页/共${pages}页`);
      expect(text.replace(/\s+/g, '')).toContain('签章时间：2026-11-2409:30');
    }
  });

  await test.step('the visit\'s Chongqing 附件1 downloads as .xlsx with its columns', async () => {
    await page.getByTestId('visit-export').click();
    const downloading = page.waitForEvent('download');
    await page.getByTestId('visit-export-chongqing-register').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toBe(`职称证书领取、办理登记表-办证${visitId}.xlsx`);
    const path = testInfo.outputPath('chongqing.xlsx');
    await download.saveAs(path);
    const rows = XLSX.utils.sheet_to_json<unknown[]>(XLSX.read(readFileSync(path)).Sheets['登记表']!, { header: 1 });
    expect(rows[2]).toEqual(['序号', '证书编号', '工作单位', '主管部门', '姓名', '性别', '身份证号码', '专业名称', '资格名称', '批准时间', '批准文号']);
    expect(rows.slice(3, 43)).toHaveLength(40);
  });

  await test.step('登记簿 prints the day\'s summary', async () => {
    await page.getByTestId('nav-register').click();
    const text = poppler(await printFrom(page, testInfo, 'register-day', 'day-summary')).text().replace(/\s+/g, '');
    expect(text).toContain('当日汇总2026年11月24日');
    expect(text).toContain('签章证书：40本');
  });

  await test.step('核验打印件: the scanner types the signed sheet\'s QR; the app names the entries and who sealed them', async () => {
    const scan = poppler(signedSheet).page(join(mkdtempSync(join(tmpdir(), 'seal-scan-')), 'scan'));
    const proof = await decodePngQr(scan, 'scan.png');
    await page.getByTestId('register-verify-paper').click();
    // The field has the focus; the scanner types the QR's text and ends with Enter.
    const field = page.getByPlaceholder('SC-PRINT/1 …');
    await expect(field).toBeFocused();
    await page.keyboard.type(proof);
    await page.keyboard.press('Enter');
    const result = page.getByTestId('verify-paper-result');
    await expect(result).toContainText(`核验通过：这张印章使用登记表（第 ${visitId} 号办证）`);
    await expect(result).toContainText('第 1–2 号登记');
    await expect(result).toContainText('由李窗口签章');
    await expect(result.locator('.ant-table-row')).toHaveCount(2);
    await expect(result.locator('.ant-table-row').first()).toContainText('2026-11-24 09:30');
    await screenshot(page, testInfo, 'verify-paper-ok');

    await expect(field).toHaveValue('');
    await field.fill(proof.replace('seq=1-2', 'seq=1'));
    await field.press('Enter');
    await expect(result).toContainText('不予认可：二维码的签名与工作站');
    await screenshot(page, testInfo, 'verify-paper-refused');
  });
});
