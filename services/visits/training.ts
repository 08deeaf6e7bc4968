import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApprovedPerson } from '../../core/contract';
import { UserError } from '../../core/errors';
import { DEFAULT_SETTINGS } from '../../core/settings/settings';
import { offCounterReason } from '../../core/verify/calendar';
import { SENIOR_CERTIFICATE } from '../../core/verify/certificateTypes';
import { setUpFirstAdmin } from '../accounts/accounts';
import { importList, listRows } from '../lists/lists';
import { openServices, type Services } from '../open';
import { closeDay } from '../register/batches';
import { importReference, loadCalendar } from '../settings/reference';
import { saveSettings } from '../settings/settings';
import { acknowledgeWarnings, createVisit, importRoster, sealVisit, setDocumentsSeen } from './visits';

/** The practice account: a new clerk signs in with it (an administrator, so every screen can be tried). */
export const TRAINING_ACCOUNT = { username: 'peixun', displayName: '培训学员', password: 'peixun-2026' } as const;

export interface TrainingVisits {
  /** Sealed on two earlier counter days, each day closed into a batch. */
  earlierDays: number[];
  /** Sealed today after the last batch: one with a confirmed warning, one with a replacement. */
  today: { confirmedWarning: number; replacement: number };
  /** Open, with its roster imported, for the new clerk to finish. */
  open: number;
  /** The whole visit to practise: a slip not yet used and a roster file written beside the database. */
  practice: { slipNo: string; slipCount: number; signer: string; rosterFile: string };
}

const SENIOR_NUMBER_RULE = { kind: 'regex' as const, regex: '^51\\d{4}(0\\d|1\\d|2[01])\\d{6}$', description: '14 位：51 + 4 位年份 + 2 位发证机构代码（00–21）+ 6 位顺序号' };

/**
 * Writes a training database at `dbPath` from the shared fixtures: the approved lists, settings and
 * reference data, a register with history (two closed days, two sealings since), and a visit in
 * progress. The database marks itself as training: every screen and print says 培训 and it never syncs.
 */
export async function writeTrainingDb(dbPath: string, fixturesDir: string, today: Date): Promise<TrainingVisits> {
  if (existsSync(dbPath)) throw new UserError(`文件“${dbPath}”已存在：培训数据须写入新文件，以免覆盖真实数据。`);
  if (!existsSync(join(fixturesDir, 'slips.csv'))) throw new UserError(`找不到培训用的示例数据（${fixturesDir}），无法生成培训数据。`);
  let now = today;
  const services = openServices(dbPath, () => now);
  try {
    const { ctx } = services;
    ctx.db.prepare('INSERT INTO training_mode (singleton, created_at) VALUES (1, ?)').run(ctx.clock.timestamp());
    await setUpFirstAdmin(ctx, TRAINING_ACCOUNT);
    saveSettings(ctx.db, { ...DEFAULT_SETTINGS, certNoRules: { ...DEFAULT_SETTINGS.certNoRules, [SENIOR_CERTIFICATE]: SENIOR_NUMBER_RULE } });
    const file = (name: string) => new Uint8Array(readFileSync(join(fixturesDir, name)));
    for (const kind of ['slips', 'signers', 'holidays', 'units'] as const) await importReference(ctx.db, kind, `${kind}.csv`, file(`${kind}.csv`));
    addSlipsForYear(services, Number(ctx.clock.date().slice(0, 4)));
    await importList(ctx, 'senior-engineers-2025.xlsx', file('approved/senior-engineers-2025.xlsx'), {});

    const people = listRows(ctx.db, { offset: 0, limit: 1000 }).rows;
    let nextPerson = 0;
    let nextNumber = 900001;
    const take = (count: number) => people.slice(nextPerson, (nextPerson += count));
    const counterDays = previousCounterDays(services, ctx.clock.date(), 2);
    const seal = async (unit: string, rows: RosterLine[], reason?: string): Promise<number> => {
      const visit = createVisit(ctx, { unit, agentName: '王经办', agentPhone: '028-86000000', certificateType: SENIOR_CERTIFICATE, slipNo: unusedSlip(services, unit), slipCount: rows.length, slipSigner: '董毅旭' });
      await importRoster(ctx, visit.id, 'roster.csv', rosterCsv(rows));
      const detail = setDocumentsSeen(ctx, { visitId: visit.id, documents: ['任职资格文件复印件', '外语合格证复印件'] });
      const waiting = detail.rows.filter((r) => r.verdict === 'warning' && r.acknowledgement === null && r.findings.some((f) => f.code !== 'LANG_CERT_REQUIRED'));
      if (waiting.length > 0) acknowledgeWarnings(ctx, { visitId: visit.id, lines: waiting.map((r) => r.line), reason: reason ?? '已核实' });
      sealVisit(ctx, visit.id);
      return visit.id;
    };
    const linesOf = (chosen: typeof people) => chosen.map((p) => rosterLine(p, nextNumber++));

    const earlierDays: number[] = [];
    for (const [i, day] of counterDays.entries()) {
      now = new Date(`${day}T10:0${i}:00+08:00`);
      earlierDays.push(await seal(i === 0 ? '成都市人力资源和社会保障局' : '绵阳市人力资源和社会保障局', linesOf(take(10))));
      now = new Date(`${day}T17:30:00+08:00`);
      closeDay(ctx);
    }
    now = today;
    const moved = linesOf(take(6));
    moved[0] = { ...moved[0]!, workUnit: '四川省建筑设计研究院有限公司' };
    const confirmedWarning = await seal('四川华西集团有限公司', moved, '已核实单位变动证明');
    const lost = ctx.db.prepare('SELECT cert_no, id_number FROM certificates WHERE visit_id = ? ORDER BY id LIMIT 1').get(earlierDays[0]) as { cert_no: string; id_number: string };
    const holder = people.find((p) => p.idNumber === lost.id_number)!;
    const replacement = await seal('成都市人力资源和社会保障局', [...linesOf([holder]).map((l) => ({ ...l, remark: `补办、原证书编号${lost.cert_no}作废` })), ...linesOf(take(3))]);

    const open = createVisit(ctx, { unit: '德阳市人力资源和社会保障局', agentName: '周经办', agentPhone: '0838-2200000', certificateType: SENIOR_CERTIFICATE, slipNo: unusedSlip(services, '德阳市人力资源和社会保障局'), slipCount: 5, slipSigner: '董毅旭' });
    await importRoster(ctx, open.id, 'roster.csv', rosterCsv(linesOf(take(5))));

    const rosterFile = `${dbPath.replace(/\.(sqlite3?|db)$/i, '')}-练习名册.csv`;
    writeFileSync(rosterFile, practiceRoster(practicePeople(people.slice(nextPerson)), nextNumber));
    const practice = { slipNo: unusedSlip(services, '四川华西集团有限公司'), slipCount: 98, signer: '谢天涛', rosterFile };
    return { earlierDays, today: { confirmedWarning, replacement }, open: open.id, practice };
  } finally {
    services.close();
  }
}

/** Approved people who need no language-certificate copy: a practice roster stays about the faults it plants. */
export function practicePeople(people: readonly ApprovedPerson[]): ApprovedPerson[] {
  return people.filter((p) => p.langRequirement === '合格' || p.langRequirement === '免试');
}

/** Where the practice roster plants its faults (序号). */
export const PRACTICE_FAULTS = { idChecksum: 7, nameMismatch: 23, unitMismatch: 61 } as const;

/**
 * The visit a new clerk practises and `npm run bench` times (issue 12): a 100-row senior roster of
 * approved people with three faulty rows — a wrong ID check character, a name the ID was not
 * approved under, another work unit — so 98 may be sealed, the number written on its slip.
 */
export function practiceRoster(people: readonly ApprovedPerson[], firstNumber: number): Uint8Array {
  if (people.length < 100) throw new UserError('批准名单中的人数不足 100，无法生成练习名册。');
  const rows = people.slice(0, 100).map((p, i) => rosterLine(p, firstNumber + i));
  const at = (rowNo: number) => rows[rowNo - 1]!;
  const id = at(PRACTICE_FAULTS.idChecksum).idNumber;
  at(PRACTICE_FAULTS.idChecksum).idNumber = `${id.slice(0, 17)}${id.endsWith('X') ? '0' : id.endsWith('9') ? 'X' : String(Number(id[17]) + 1)}`;
  at(PRACTICE_FAULTS.nameMismatch).name = `${at(PRACTICE_FAULTS.nameMismatch).name.slice(0, 1)}晓明`;
  at(PRACTICE_FAULTS.unitMismatch).workUnit = '四川省建筑设计研究院有限公司';
  return rosterCsv(rows);
}

/** A roster of these people exactly as approved: every row passes. */
export function cleanRoster(people: readonly ApprovedPerson[], firstNumber: number): Uint8Array {
  return rosterCsv(people.map((p, i) => rosterLine(p, firstNumber + i)));
}

interface RosterLine {
  certNo: string;
  name: string;
  gender: string;
  idNumber: string;
  qualification: string;
  workUnit: string;
  remark: string;
  major: string;
  approvedOn: string;
  approvalDoc: string;
}

/** A roster row exactly as the approved list has the person, under the fixtures' 14-digit senior numbering. */
function rosterLine(p: ApprovedPerson, number: number): RosterLine {
  return {
    certNo: `51202501${String(number).padStart(6, '0')}`, name: p.name, gender: p.gender, idNumber: p.idNumber, qualification: p.qualification,
    workUnit: p.workUnit, remark: '', major: p.major, approvedOn: p.approvedOn, approvalDoc: p.approvalDoc,
  };
}

function rosterCsv(rows: RosterLine[]): Uint8Array {
  const lines = rows.map((r, i) => [i + 1, r.certNo, r.workUnit, r.name, r.gender, r.idNumber, r.major, r.qualification, r.approvedOn, r.approvalDoc, r.remark].join(','));
  return new TextEncoder().encode(['序号,证书编号,工作单位,姓名,性别,身份证号码,专业名称,资格名称,批准时间,批准文号,备注', ...lines].join('\n'));
}

/** The counter days before `date`, latest first, as many as asked. */
function previousCounterDays(services: Services, date: string, count: number): string[] {
  const calendar = loadCalendar(services.ctx.db);
  const days: string[] = [];
  for (let at = new Date(`${date}T00:00:00Z`); days.length < count;) {
    at = new Date(at.getTime() - 86_400_000);
    const day = at.toISOString().slice(0, 10);
    if (offCounterReason(day, calendar) === null) days.push(day);
  }
  return days.reverse();
}

function unusedSlip(services: Services, unit: string): string {
  const year = Number(services.ctx.clock.date().slice(0, 4));
  const slip = services.ctx.db.prepare(
    `SELECT slip_no FROM issued_slips s WHERE unit = ? AND year = ? AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.slip_no = s.slip_no) ORDER BY slip_no LIMIT 1`,
  ).pluck().get(unit, year) as string | undefined;
  if (!slip) throw new UserError(`示例数据中没有发给“${unit}”的 ${year} 年度签章凭条。`);
  return slip;
}

/** Practice in a year the fixtures do not cover: the latest year's slips are issued again for it. */
function addSlipsForYear(services: Services, year: number): void {
  const { db } = services.ctx;
  if (db.prepare('SELECT 1 FROM issued_slips WHERE year = ?').get(year)) return;
  const latest = db.prepare('SELECT max(year) FROM issued_slips').pluck().get() as number;
  db.prepare(`INSERT INTO issued_slips (slip_no, unit, year, issued_on)
    SELECT replace(slip_no, 'QZ' || year, 'QZ' || ?), unit, ?, ? || substr(issued_on, 5) FROM issued_slips WHERE year = ?`).run(year, year, String(year), latest);
}
