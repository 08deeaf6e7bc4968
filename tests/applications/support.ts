import { CONFIRMATION_MATERIALS } from '../../core/applications/terms';
import type { Request } from '../../core/contract';
import { dispatch } from '../../services/dispatch';
import { entryView, registerEntriesBetween } from '../../services/register/entries';
import { clientOf, freshServices, signInForTests, TEST_ADMIN, upload } from '../support/services';

/**
 * A counter for the application tests: the exam list imported, people of it sealed through a
 * visit as the counter seals them, and the accounts that act (the administrator, a clerk, a
 * supervisor who confirms with their own password).
 */
export const XIANG = { name: '向莉芳', gender: '女', idNumber: '510107199206205820', workUnit: '四川省建筑设计研究院有限公司', phone: '13800000001' } as const;
export const SONG = { name: '宋璐丽', gender: '女', idNumber: '511902198206083788', workUnit: '四川省建筑设计研究院有限公司', phone: '13800000002' } as const;
export const ZHAO = { name: '赵雨浩', gender: '男', idNumber: '510106198803021033', workUnit: '四川省建筑设计研究院有限公司', phone: '13800000003' } as const;
export const LIANG = { name: '梁浩明', gender: '男', idNumber: '510108199201083779', workUnit: '四川省建筑设计研究院有限公司', phone: '13800000004' } as const;
export const LUO = { name: '罗梅', gender: '女', idNumber: '510106198603242683', workUnit: '四川省建筑设计研究院有限公司', phone: '13800000005' } as const;

export const CLERK = { username: 'liuchuang', displayName: '刘窗口', role: 'clerk' as const };
export const SUPERVISOR = { username: 'zhangshen', displayName: '张审核', role: 'supervisor' as const };
/** Every test account shares TEST_ADMIN's password (tests/support/services.ts hashes it once). */
export const PASSWORD = TEST_ADMIN.password;

export const ACCOUNTANT = { certificateType: '专业技术资格证书', qualification: '中级会计师', major: '会计', level: '中级', approvedOn: '2025-11-20', approvalDoc: '川人社办发〔2025〕96号' } as const;

export interface Person { name: string; gender: '男' | '女'; idNumber: string; workUnit: string; phone: string }

const ALL_NOTICE_FIELDS = ['姓名', '性别', '身份证号', '证书名称', '证书编号', '专业', '级别', '取得时间', '遗失时间'] as const;

export function lostCertificate(person: Person, certNo: string, publishedOn: string): Request<'replacements.add'> {
  return {
    replacementKind: '补办',
    channel: '窗口',
    person: { ...person },
    original: { certNo, ...ACCOUNTANT },
    lossNotice: { newspaper: '四川日报', issn: 'CN51-0001', publishedOn, fieldsNamed: [...ALL_NOTICE_FIELDS] },
    damage: null,
    materials: ['本人书面申请', '单位证明', '遗失声明报纸原件', '登记表或任职资格文件复印件', '本人近期免冠彩色照片'],
  };
}

export function damagedCertificate(person: Person, certNo: string): Request<'replacements.add'> {
  return {
    replacementKind: '换发',
    channel: '单位汇总',
    submittedBy: '四川省住房和城乡建设厅',
    person: { ...person },
    original: { certNo, ...ACCOUNTANT },
    lossNotice: null,
    damage: { reason: '损坏', correction: '' },
    materials: ['本人书面申请', '单位证明', '损坏或填错的证书原件', '登记表或任职资格文件复印件', '本人近期免冠彩色照片'],
  };
}

/** A senior title reviewed in Shaanxi, with every condition met and the materials of a personal transfer. */
export const GAO = { name: '高明远', gender: '男', idNumber: '61010319850315201X', workUnit: '四川省交通勘察设计研究院有限公司', phone: '13900000001', unitManagement: '省直' } as const;

export function reviewed(person: Request<'confirmations.add'>['person'], title: Partial<Request<'confirmations.add'>['title']> = {}): Request<'confirmations.add'> {
  return {
    person,
    title: { qualification: '高级工程师', major: '道路与桥梁', level: '副高级', route: '评审', obtainedOn: '2019-06-20', approvalDoc: '陕职改〔2019〕15号', issuedBy: '陕西省职称改革办公室', obtainedIn: '陕西省', certNo: 'SX2019060123', ...title },
    conditions: { approvedUnderNationalPolicy: true, fileMovedIn: true, employmentProof: '劳动（聘用）合同' },
    arrival: '个人调入',
    materials: CONFIRMATION_MATERIALS.filter((m) => m !== '调令或部队安置证明复印件' && m !== '成建制划转政策文件'),
  };
}

const ROSTER_HEADER = '序号,证书编号,姓名,性别,身份证号码,资格名称,备注';

export function applicationsCounter(start = new Date('2026-11-24T09:30:00+08:00')) {
  const services = freshServices(start);
  const call = clientOf((name, request) => dispatch(services, name, request));
  const as = (account: { username: string; displayName: string; role: 'clerk' | 'supervisor' | 'admin' }) => signInForTests(services, account);
  const asAdmin = () => signInForTests(services);

  /** One visit of exam certificates: each row `certNo,person,备注`; returns the visit as verified. */
  async function visitWith(rows: { certNo: string; person: Person; remark?: string }[]) {
    const visit = await call('visits.create', { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
    const lines = rows.map((r, i) => `${i + 1},${r.certNo},${r.person.name},${r.person.gender},${r.person.idNumber},中级会计师,${r.remark ?? ''}`);
    return call('visits.importRoster', { visitId: visit.id, fileName: 'roster.csv', dataBase64: Buffer.from([ROSTER_HEADER, ...lines].join('\n')).toString('base64') });
  }

  async function seal(rows: { certNo: string; person: Person; remark?: string }[]) {
    const detail = await visitWith(rows);
    return call('visits.seal', { visitId: detail.visit.id });
  }

  async function prepare() {
    await call('lists.import', upload('approved/exam-intermediate-accountant-2025.csv'));
    // Supervisor and clerk accounts exist from the start.
    as(SUPERVISOR);
    as(CLERK);
    asAdmin();
  }

  /**
   * The chain's last entries, newest first, of every kind: the register page lists seal usage only,
   * the applications' own entries are read here as 校验登记簿 reads them.
   */
  function latestEntries(count = 1) {
    const last = services.ctx.db.prepare('SELECT max(seq) FROM register_entries').pluck().get() as number;
    return registerEntriesBetween(services.ctx.db, Math.max(1, last - count + 1), last).map((e) => entryView(e)).reverse();
  }

  return { services, call, as, asAdmin, visitWith, seal, prepare, latestEntries, setNow: services.setNow };
}
