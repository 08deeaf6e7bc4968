import * as XLSX from '@e965/xlsx';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import type { Page } from '@playwright/test';
import { createVisit, expect, fixture, screenshot, test, upload } from './support';
import type { Host } from './support';

/**
 * The applications of DOMAIN.md §11 and §12 at the counter, in the browser: a lost certificate
 * taken from the form to the sealing of its replacement that closes it, and an out-of-province
 * title confirmed by a supervisor, its 认定书 printed and sealed.
 */
test.use({ actionTimeout: 15_000 });

const UNIT = '四川省建筑设计研究院有限公司';
const XIANG = { name: '向莉芳', idNumber: '510107199206205820' };
const ROSTER_HEADER = '序号,证书编号,姓名,性别,身份证号码,资格名称,备注';

/** 向莉芳's certificate C0001, sealed at this counter before she lost it. */
async function sealOriginal(host: Host): Promise<void> {
  await host.api('lists.import', upload(fixture('approved/exam-intermediate-accountant-2025.csv')));
  const visit = await host.api('visits.create', { unit: UNIT, agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
  const roster = [ROSTER_HEADER, `1,C0001,${XIANG.name},女,${XIANG.idNumber},中级会计师,`].join('\n');
  await host.api('visits.importRoster', { visitId: visit.id, fileName: 'roster.csv', dataBase64: Buffer.from(roster).toString('base64') });
  await host.api('visits.seal', { visitId: visit.id });
}

async function openApplications(page: Page, tab: 'replacements' | 'confirmations'): Promise<void> {
  await page.getByTestId('nav-applications').click();
  await page.getByTestId(`tab-${tab}`).click();
}

async function tick(page: Page, group: string, labels: readonly string[]): Promise<void> {
  for (const label of labels) await page.getByTestId(group).getByLabel(label, { exact: true }).check();
}

test('a lost certificate: applied for at the counter, sent up in the window, its replacement sealed and the application closed', async ({ page, host }, testInfo) => {
  await sealOriginal(host);
  await page.goto(host.url);

  await test.step('the clerk fills the application from the ledger and the loss notice, and the check passes', async () => {
    await openApplications(page, 'replacements');
    await page.getByTestId('replacement-new').click();
    await page.getByTestId('replacement-cert-no').fill('C0001');
    await page.getByTestId('replacement-lookup').click();
    await expect(page.getByTestId('replacement-ledger')).toContainText('台账：向莉芳的证书，2026-11-24 在本窗口盖章');
    await expect(page.getByTestId('replacement-name')).toHaveValue(XIANG.name);
    await expect(page.getByTestId('replacement-id-number')).toHaveValue(XIANG.idNumber);
    await expect(page.getByTestId('replacement-qualification')).toHaveValue('中级会计师');
    await expect(page.getByTestId('replacement-approved-on')).toHaveValue('2025-11-20');
    await page.getByTestId('replacement-phone').fill('13800000001');
    await page.getByTestId('notice-newspaper').fill('四川日报');
    await page.getByTestId('notice-issn').fill('CN51-0001');
    await page.getByTestId('notice-date').fill('2026-10-08');
    await tick(page, 'notice-fields', ['姓名', '身份证号', '证书名称', '证书编号', '专业', '级别']);
    await page.getByTestId('replacement-check').click();
    // One field the notice must name is missing: the check says which, and nothing is recorded.
    await expect(page.getByTestId('replacement-findings').locator('[data-finding="NOTICE_FIELDS_MISSING"]')).toContainText('本声明缺少取得时间');
    await expect(page.getByTestId('replacement-findings').locator('[data-finding="MATERIALS_MISSING"]')).toBeVisible();
    await screenshot(page, testInfo, '01-replacement-findings');
    await tick(page, 'notice-fields', ['取得时间']);
    await tick(page, 'replacement-materials', ['本人书面申请', '单位证明', '遗失声明报纸原件', '登记表或任职资格文件复印件', '本人近期免冠彩色照片']);
    await page.getByTestId('replacement-check').click();
    await expect(page.getByTestId('replacement-findings')).toHaveText('检查通过，可以受理。');
    await screenshot(page, testInfo, '02-replacement-checked');
    await page.getByTestId('replacement-submit').click();
    const row = page.getByTestId('replacement-table').locator('.ant-table-row', { hasText: '补换2026-0001' });
    await expect(row).toContainText('待报送');
    await expect(row).toContainText('C0001');
    await expect(page.getByTestId('replacement-window')).toContainText('2026-11-30 前），待报送 1 件');
  });

  await test.step('the summary form for the window is downloaded, and the application marked as sent', async () => {
    const downloading = page.waitForEvent('download');
    await page.getByTestId('summary-export').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = XLSX.read(readFileSync(await download.path()));
    const cells = XLSX.utils.sheet_to_json<string[]>(book.Sheets[book.SheetNames[0]!]!, { header: 1, defval: '' }).flat();
    expect(cells).toEqual(expect.arrayContaining([XIANG.name, XIANG.idNumber, 'C0001']));
    await page.getByTestId('summary-mark-sent').click();
    await expect(page.getByTestId('replacement-table').locator('.ant-table-row', { hasText: '补换2026-0001' })).toContainText('已报送');
    await screenshot(page, testInfo, '03-replacement-sent');
  });

  await test.step('the replacement certificate comes back and is sealed: its roster row is the application’s', async () => {
    await createVisit(page, { unit: UNIT, certificateType: '专业技术资格证书', slipNo: '', slipCount: 1, slipSigner: '' });
    const roster = testInfo.outputPath('replacement-roster.csv');
    writeFileSync(roster, [ROSTER_HEADER, `1,C1001,${XIANG.name},女,${XIANG.idNumber},中级会计师,补办、原证书编号C0001作废`].join('\n'));
    await page.getByTestId('roster-import-input').setInputFiles(roster);
    await expect(page.getByTestId('visit-summary')).toContainText('可签章 1 本');
    await screenshot(page, testInfo, '04-replacement-roster');
    await page.getByTestId('seal-button').click();
    await page.getByTestId('seal-confirm').click();
    // The register sheet opens by itself for the agent to sign (the counter flow prints it).
    await page.getByTestId('pdf-close').click();
    await expect(page.getByTestId('seal-entries').locator('.ant-table-row').first()).toBeVisible();
  });

  await test.step('the application is closed by that sealing, the new certificate 补发 and the original void', async () => {
    await openApplications(page, 'replacements');
    const row = page.getByTestId('replacement-table').locator('.ant-table-row', { hasText: '补换2026-0001' });
    await expect(row).toContainText('已办结');
    await expect(row).toContainText('新证书 C1001');
    await screenshot(page, testInfo, '05-replacement-closed');
    const closed = (await host.api('replacements.list', { query: 'C0001' })).items[0]!;
    expect(closed.closed).toMatchObject({ certNo: 'C1001' });
    const original = await host.api('replacements.lookupOriginal', { certNo: 'C0001' });
    expect(original.ledger).toMatchObject({ voided: true });
  });
});

test('an out-of-province title: applied for, confirmed by the supervisor, the 认定书 printed and sealed', async ({ page, host }, testInfo) => {
  await page.goto(host.url);

  await test.step('the application is filed, with who confirms it', async () => {
    await openApplications(page, 'confirmations');
    await page.getByTestId('confirmation-new').click();
    await page.getByTestId('confirmation-name').fill('高明远');
    await page.getByTestId('confirmation-id-number').fill('61010319850315201X');
    await page.getByTestId('confirmation-unit').fill('四川省交通勘察设计研究院有限公司');
    await page.getByTestId('confirmation-qualification').fill('高级工程师');
    await page.getByTestId('confirmation-obtained-on').fill('2019-06-20');
    await page.getByTestId('confirmation-obtained-in').fill('陕西省');
    await page.getByTestId('confirmation-issued-by').fill('陕西省职称改革办公室');
    await page.getByTestId('confirmation-approval-doc').fill('陕职改〔2019〕15号');
    await page.getByTestId('confirmation-cert-no').fill('SX2019060123');
    await page.getByTestId('confirmation-check').click();
    await expect(page.getByTestId('confirmation-findings').locator('[data-finding="CONDITION_UNMET"]').first()).toBeVisible();
    await screenshot(page, testInfo, '01-confirmation-unmet');
    await page.getByTestId('condition-policy').click();
    await page.getByTestId('condition-file').click();
    await page.getByTestId('condition-employment').click();
    await page.locator('.ant-select-item-option[title="劳动（聘用）合同"]').click();
    await tick(page, 'confirmation-materials', ['确认申请表（一式两份）', '资格证书原件', '评审表原件', '任职资格文件复印件', '劳动合同或社保缴交凭证原件', '职称申报系统电子数据', '身份证复印件', '近期免冠彩色照片']);
    await page.getByTestId('confirmation-check').click();
    await expect(page.getByTestId('confirmation-findings')).toHaveText('检查通过，可以受理。');
    await expect(page.getByTestId('confirmation-competence')).toHaveText('由省职改办确认，确认后出具《高级职称认定书》。');
    await page.getByTestId('confirmation-submit').click();
    await expect(page.getByTestId('confirmation-table').locator('.ant-table-row', { hasText: '确认2026-0001' })).toContainText('待审核');
  });

  await test.step('the supervisor confirms it, dated, and the 认定书 is numbered', async () => {
    await page.getByTestId('confirmation-decide-确认2026-0001').click();
    await expect(page.getByTestId('decide-date')).toHaveValue('2026-11-24');
    await page.getByTestId('decide-note').fill('经2026年第11次审核会议');
    await screenshot(page, testInfo, '02-confirmation-decide');
    await page.getByTestId('decide-submit').click();
    const row = page.getByTestId('confirmation-table').locator('.ant-table-row', { hasText: '确认2026-0001' });
    await expect(row).toContainText('已确认');
    await expect(row).toContainText('高级职称认定〔2026〕001号');
  });

  await test.step('the 认定书 is printed as a PDF keeping the original date, then sealed as a register entry', async () => {
    await page.getByTestId('confirmation-print-确认2026-0001').click();
    const pdf = page.getByTestId('application-pdf');
    await expect(pdf).toHaveAttribute('data-file-name', '高级职称认定书-高级职称认定〔2026〕001号-高明远.pdf');
    await screenshot(page, testInfo, '03-recognition-pdf');
    const printed = await host.api('confirmations.print', { appNo: '确认2026-0001' });
    const pdfPath = testInfo.outputPath('recognition.pdf');
    writeFileSync(pdfPath, Buffer.from(printed.pdfBase64, 'base64'));
    expect(execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' }).replace(/\s+/g, '')).toContain('自2019年6月20日起');
    await page.getByTestId('application-pdf-close').click();
    await page.getByTestId('confirmation-seal-确认2026-0001').click();
    await expect(page.getByTestId('seal-recognition-agent')).toHaveValue('高明远');
    await page.getByTestId('seal-recognition-phone').fill('13900000001');
    await page.getByTestId('seal-recognition-submit').click();
    await expect(page.getByTestId('confirmation-table').locator('.ant-table-row', { hasText: '确认2026-0001' })).toContainText(/第 \d+ 号登记/);
    await screenshot(page, testInfo, '04-recognition-sealed');
    await page.getByTestId('nav-register').click();
    await expect(page.getByTestId('register-table')).toContainText('高级职称认定书 高级职称认定〔2026〕001号 签章');
    await screenshot(page, testInfo, '05-register');
  });
});

test('a supervisor sends an application back, with the reason', async ({ page, host }, testInfo) => {
  await sealOriginal(host);
  const filed = await host.api('replacements.add', {
    replacementKind: '换发', channel: '窗口', person: { name: XIANG.name, gender: '女', idNumber: XIANG.idNumber, workUnit: UNIT, phone: '13800000001' },
    original: { certNo: 'C0001', certificateType: '专业技术资格证书', qualification: '中级会计师', major: '会计', level: '中级', approvedOn: '2025-11-20', approvalDoc: '川人社办发〔2025〕96号' },
    lossNotice: null, damage: { reason: '损坏', correction: '' }, materials: ['本人书面申请', '单位证明', '损坏或填错的证书原件', '登记表或任职资格文件复印件', '本人近期免冠彩色照片'],
  });
  await page.goto(host.url);
  await page.getByTestId('nav-applications').click();
  await page.getByTestId(`replacement-return-${filed.appNo}`).click();
  await page.getByTestId('return-submit').click();
  await expect(page.getByTestId('return-error')).toHaveText('请填写退回理由');
  await page.getByTestId('return-reason').fill('证书损坏处有涂改痕迹，请本人到场说明');
  await screenshot(page, testInfo, '01-return');
  await page.getByTestId('return-submit').click();
  const row = page.getByTestId('replacement-table').locator('.ant-table-row', { hasText: filed.appNo });
  await expect(row).toContainText('已退回');
  await expect(row).toContainText('退回：证书损坏处有涂改痕迹，请本人到场说明');
  await expect(page.getByTestId(`replacement-return-${filed.appNo}`)).toHaveCount(0);
  const returned = (await host.api('replacements.list', { query: 'C0001' })).items[0]!;
  expect(returned).toMatchObject({ status: '已退回', returned: { reason: '证书损坏处有涂改痕迹，请本人到场说明', by: { account: 'admin' } } });
});
