import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChainProblem } from '../../core/register/terms';
import { idCheckCharacter } from '../../core/verify/idNumber';
import { UserError } from '../../core/errors';
import { importList } from '../../services/lists/lists';
import { openServices, type Services } from '../../services/open';
import { registerWitnessPathFor, workstationKeyPathFor } from '../../services/paths';
import { closeDay } from '../../services/register/batches';
import { verifyLiveRegister } from '../../services/register/chain';
import { acknowledgeWarnings, createVisit, importRoster, sealVisit } from '../../services/visits/visits';
import { deleteWitness, editEntry, editRecord, editWitness, openAsAttacker, readEntry, recordsOf, relinkFrom, shiftUpFrom, swapEntries, writeEntry, type Db } from './attacker';

/**
 * The tamper kit (issue 11): each case changes a copy of a register the way someone with write
 * access to the data file would, and checks that 校验登记簿 names the right entry and that no
 * sealing or day close afterwards carries the change forward ("laundering").
 */

/** A register's files: the database and, beside it, the workstation's key and witness. */
export interface RegisterFiles {
  dbPath: string;
  /** The signed tip as it stood at the end of the first day, kept by the "attacker" for a rollback. */
  oldTipPath: string | null;
}

/** Where things stand in the register under test, worked out from the file itself. */
export interface Layout {
  lastSeq: number;
  lastBatch: { batchNo: number; firstSeq: number; lastSeq: number } | null;
  batchCount: number;
  /** An entry of the open day (after the last batch) that is neither its first nor its last. */
  openMiddle: number | null;
  /** An entry of the open day holding ledger records. */
  openWithRecords: number | null;
  closedMiddle: number | null;
  closedWithRecords: number | null;
  /** An entry whose records include a replacement (补发) voiding an original. */
  withReplacement: number | null;
  /** A visit that is ready to seal, for the laundering cases that try. */
  openVisitId: number | null;
}

export interface Expected {
  seq: number;
  problems: readonly ChainProblem[];
}

export interface TamperCase {
  id: string;
  title: string;
  /** What the case needs in the register; null when it applies. */
  needs(layout: Layout, files: RegisterFiles): string | null;
  tamper(db: Db, layout: Layout, files: RegisterFiles): void;
  expected(layout: Layout): Expected;
  /** Laundering: after tampering, the honest work that must be refused. */
  launder?: readonly ('seal' | 'close-day')[];
}

const need = (ok: boolean, what: string) => (ok ? null : what);

const openDay = (l: Layout) => need(l.openMiddle !== null, '当日（最后一批之后）至少要有 3 条登记');
const closed = (l: Layout) => need(l.closedMiddle !== null, '至少要有一个含 3 条以上登记的已签名批次');

export const CASES: readonly TamperCase[] = [
  // The open day: entries written since the last day close.
  { id: 'open-change', title: '当日登记：改动一条登记的内容，不重算哈希', needs: openDay,
    tamper: (db, l) => { editEntry(db, l.openMiddle!, { count: 99 }, false); }, expected: (l) => ({ seq: l.openMiddle!, problems: ['changed'] }) },
  { id: 'open-rewrite', title: '当日登记：改动一条登记并重算它及其后全部哈希（末条签名不动）', needs: openDay,
    tamper: (db, l) => { editEntry(db, l.openMiddle!, { unit: '某虚构单位' }, true); relinkFrom(db, l.openMiddle! + 1); }, expected: (l) => ({ seq: l.openMiddle!, problems: ['changed'] }) },
  { id: 'open-delete', title: '当日登记：删除中间一条', needs: openDay,
    tamper: (db, l) => { db.prepare('DELETE FROM register_entries WHERE seq = ?').run(l.openMiddle); }, expected: (l) => ({ seq: l.openMiddle!, problems: ['missing'] }) },
  { id: 'open-delete-last', title: '当日登记：删除最后一条（末条签名保留）', needs: openDay,
    tamper: (db, l) => { db.prepare('DELETE FROM register_entries WHERE seq = ?').run(l.lastSeq); }, expected: (l) => ({ seq: l.lastSeq, problems: ['missing'] }) },
  { id: 'open-truncate', title: '当日登记：删除最后三条，连同末条签名', needs: openDay,
    tamper: (db, l) => { db.prepare('DELETE FROM register_entries WHERE seq > ?').run(l.lastSeq - 3); db.exec('DELETE FROM register_head'); }, expected: (l) => ({ seq: l.lastSeq - 2, problems: ['missing'] }) },
  { id: 'open-swap', title: '当日登记：调换相邻两条', needs: openDay,
    tamper: (db, l) => { swapEntries(db, l.openMiddle!, l.openMiddle! + 1); }, expected: (l) => ({ seq: l.openMiddle!, problems: ['out-of-order'] }) },
  { id: 'open-insert-copy', title: '当日登记：复制一条插入其后', needs: openDay,
    tamper: (db, l) => { const copy = readEntry(db, l.openMiddle!); shiftUpFrom(db, l.openMiddle! + 1); const { hash, ...fields } = copy; writeEntry(db, l.openMiddle! + 1, fields, { rehash: false, keepHash: hash }); },
    expected: (l) => ({ seq: l.openMiddle! + 1, problems: ['inserted'] }) },
  { id: 'open-insert-forged', title: '当日登记：插入一条伪造的登记，哈希与链接都重算', needs: openDay,
    tamper: (db, l) => { const { hash: _h, ...model } = readEntry(db, l.openMiddle!); shiftUpFrom(db, l.openMiddle!); writeEntry(db, l.openMiddle!, { ...model, count: 500, unit: '某虚构单位' }, { rehash: true }); relinkFrom(db, l.openMiddle!); },
    expected: (l) => ({ seq: l.openMiddle!, problems: ['changed', 'inserted'] }) },
  { id: 'open-append-forged', title: '当日登记：在末尾追加一条伪造的登记，哈希与链接都对', needs: openDay,
    tamper: (db, l) => { const { hash, ...last } = readEntry(db, l.lastSeq); writeEntry(db, l.lastSeq + 1, { ...last, seq: l.lastSeq + 1, prevHash: hash, count: 500 }, { rehash: true }); },
    expected: (l) => ({ seq: l.lastSeq + 1, problems: ['inserted'] }) },

  // Closed days: entries inside a signed batch.
  { id: 'closed-change', title: '已日结的登记：改动一条，不重算哈希', needs: closed,
    tamper: (db, l) => { editEntry(db, l.closedMiddle!, { agentName: '张冒名' }, false); }, expected: (l) => ({ seq: l.closedMiddle!, problems: ['changed'] }) },
  { id: 'closed-rewrite', title: '已日结的登记：改动一条并重算此后全部哈希与末条', needs: closed,
    tamper: (db, l) => {
      editEntry(db, l.closedMiddle!, { count: 7 }, true);
      relinkFrom(db, l.closedMiddle! + 1);
      db.prepare('UPDATE register_head SET hash = (SELECT hash FROM register_entries ORDER BY seq DESC LIMIT 1)').run();
    },
    expected: (l) => ({ seq: l.closedMiddle!, problems: ['changed'] }) },
  { id: 'closed-delete', title: '已日结的登记：删除一条', needs: closed,
    tamper: (db, l) => { db.prepare('DELETE FROM register_entries WHERE seq = ?').run(l.closedMiddle); }, expected: (l) => ({ seq: l.closedMiddle!, problems: ['missing'] }) },
  { id: 'closed-swap', title: '已日结的登记：调换相邻两条', needs: closed,
    tamper: (db, l) => { swapEntries(db, l.closedMiddle!, l.closedMiddle! + 1); }, expected: (l) => ({ seq: l.closedMiddle!, problems: ['out-of-order'] }) },
  { id: 'closed-insert-copy', title: '已日结的登记：复制一条插入其后', needs: closed,
    tamper: (db, l) => { const copy = readEntry(db, l.closedMiddle!); shiftUpFrom(db, l.closedMiddle! + 1); const { hash, ...fields } = copy; writeEntry(db, l.closedMiddle! + 1, fields, { rehash: false, keepHash: hash }); },
    expected: (l) => ({ seq: l.closedMiddle! + 1, problems: ['inserted'] }) },

  // The certificate ledger.
  { id: 'ledger-open-delete', title: '证书台账（当日）：删除一本证书', needs: (l) => need(l.openWithRecords !== null, '当日要有签章的证书'),
    tamper: (db, l) => { db.prepare('DELETE FROM entry_records WHERE id = ?').run(recordsOf(db, l.openWithRecords!)[0]!.id); }, expected: (l) => ({ seq: l.openWithRecords!, problems: ['ledger'] }) },
  { id: 'ledger-open-change', title: '证书台账（当日）：改动证书持有人的姓名', needs: (l) => need(l.openWithRecords !== null, '当日要有签章的证书'),
    tamper: (db, l) => { editRecord(db, recordsOf(db, l.openWithRecords!)[0]!.id, { name: '李冒名' }); }, expected: (l) => ({ seq: l.openWithRecords!, problems: ['ledger'] }) },
  { id: 'ledger-open-insert', title: '证书台账（当日）：给一次签章添一本证书', needs: (l) => need(l.openWithRecords !== null, '当日要有签章的证书'),
    tamper: (db, l) => { const model = recordsOf(db, l.openWithRecords!)[0]!.record; db.prepare('INSERT INTO entry_records (entry_seq, record) VALUES (?, ?)').run(l.openWithRecords, JSON.stringify({ ...model, certNo: 'X0000001', name: '王虚构' })); },
    expected: (l) => ({ seq: l.openWithRecords!, problems: ['ledger'] }) },
  { id: 'ledger-closed-delete', title: '证书台账（已日结）：删除一本证书', needs: (l) => need(l.closedWithRecords !== null, '已日结的批次中要有签章的证书'),
    tamper: (db, l) => { db.prepare('DELETE FROM entry_records WHERE id = ?').run(recordsOf(db, l.closedWithRecords!)[0]!.id); }, expected: (l) => ({ seq: l.closedWithRecords!, problems: ['ledger'] }) },
  { id: 'ledger-closed-change', title: '证书台账（已日结）：改动证书编号', needs: (l) => need(l.closedWithRecords !== null, '已日结的批次中要有签章的证书'),
    tamper: (db, l) => { editRecord(db, recordsOf(db, l.closedWithRecords!)[0]!.id, { certNo: 'X9999999' }); }, expected: (l) => ({ seq: l.closedWithRecords!, problems: ['ledger'] }) },
  { id: 'ledger-closed-insert', title: '证书台账（已日结）：添一本证书', needs: (l) => need(l.closedWithRecords !== null, '已日结的批次中要有签章的证书'),
    tamper: (db, l) => { const model = recordsOf(db, l.closedWithRecords!)[0]!.record; db.prepare('INSERT INTO entry_records (entry_seq, record) VALUES (?, ?)').run(l.closedWithRecords, JSON.stringify({ ...model, certNo: 'X0000002' })); },
    expected: (l) => ({ seq: l.closedWithRecords!, problems: ['ledger'] }) },
  { id: 'ledger-orphan', title: '证书台账：添一本不属于任何登记的证书', needs: () => null,
    tamper: (db, l) => { db.prepare('INSERT INTO entry_records (entry_seq, record) VALUES (?, ?)').run(l.lastSeq + 5, JSON.stringify({ kind: 'certificate', certNo: 'X0000003', idNumber: '', name: '无名', qualification: '', approvalDoc: '', unit: '', visitId: 0, sealedAt: '', reissue: false, replacesCertNo: null })); },
    expected: (l) => ({ seq: l.lastSeq + 5, problems: ['ledger'] }) },
  { id: 'ledger-unvoid', title: '证书台账：抹去补发对原证书的作废', needs: (l) => need(l.withReplacement !== null, '要有一次补发'),
    tamper: (db, l) => { const replacement = recordsOf(db, l.withReplacement!).find((r) => r.record.replacesCertNo)!; editRecord(db, replacement.id, { reissue: false, replacesCertNo: null }); },
    expected: (l) => ({ seq: l.withReplacement!, problems: ['ledger'] }) },

  // The signed batches.
  { id: 'batch-delete-last', title: '批次：删除最后一批', needs: (l) => need(l.lastBatch !== null, '要有已签名的批次'),
    tamper: (db, l) => { db.prepare('DELETE FROM batches WHERE batch_no = ?').run(l.lastBatch!.batchNo); }, expected: (l) => ({ seq: l.lastBatch!.firstSeq, problems: ['missing'] }) },
  { id: 'batch-change', title: '批次：改动一批记载的末条哈希', needs: (l) => need(l.lastBatch !== null, '要有已签名的批次'),
    tamper: (db, l) => { db.prepare('UPDATE batches SET last_hash = ? WHERE batch_no = ?').run('f'.repeat(64), l.lastBatch!.batchNo); },
    expected: (l) => ({ seq: l.lastBatch!.firstSeq, problems: ['unsigned'] }) },
  { id: 'batch-delete-all', title: '批次：删除全部批次', needs: (l) => need(l.lastBatch !== null, '要有已签名的批次'),
    tamper: (db) => { db.exec('DELETE FROM batches; DELETE FROM batch_deliveries;'); }, expected: () => ({ seq: 1, problems: ['missing'] }) },

  // The signed tip.
  { id: 'tip-delete', title: '末条签名：删除（登记不动）', needs: () => null,
    tamper: (db) => { db.exec('DELETE FROM register_head'); }, expected: (l) => ({ seq: l.lastSeq, problems: ['unsigned'] }) },
  { id: 'tip-change', title: '末条签名：改动记载的条数', needs: () => null,
    tamper: (db) => { db.exec('UPDATE register_head SET seq = seq - 1'); }, expected: (l) => ({ seq: l.lastSeq - 1, problems: ['unsigned'] }) },
  { id: 'tip-rollback', title: '末条签名：换回此前保存的旧签名，并删去其后的登记', needs: (l, files) => need(l.openMiddle !== null && files.oldTipPath !== null, '要有当日登记和一份事先留下的旧末条签名（仅在新建的登记簿上）'),
    tamper: (db, _l, files) => {
      if (!files.oldTipPath) throw new Error('no old tip was kept');
      const old = JSON.parse(readFileSync(files.oldTipPath, 'utf8')) as Record<string, unknown>;
      db.prepare('DELETE FROM register_entries WHERE seq > ?').run(old.seq);
      db.prepare('DELETE FROM entry_records WHERE entry_seq > ?').run(old.seq);
      db.exec('DELETE FROM register_head');
      db.prepare('INSERT INTO register_head (singleton, seq, hash, last_batch_no, record_count, last_record_id, signature) VALUES (1, @seq, @hash, @last_batch_no, @record_count, @last_record_id, @signature)').run(old);
    },
    expected: (l) => ({ seq: l.lastBatch!.lastSeq + 1, problems: ['missing'] }) },

  // The register as a whole.
  { id: 'empty-register', title: '整本登记簿：删除全部登记、台账和末条签名', needs: () => null,
    tamper: (db) => { db.exec('DELETE FROM register_entries; DELETE FROM entry_records; DELETE FROM register_head;'); }, expected: () => ({ seq: 1, problems: ['missing'] }) },
  { id: 'empty-everything', title: '整本登记簿：连同全部批次一起删除', needs: () => null,
    tamper: (db) => { db.exec('DELETE FROM register_entries; DELETE FROM entry_records; DELETE FROM register_head; DELETE FROM batch_deliveries; DELETE FROM batches;'); },
    expected: () => ({ seq: 1, problems: ['missing'] }) },

  // The witness outside the database.
  { id: 'witness-delete', title: '见证文件：删除数据文件之外的见证文件', needs: () => null,
    tamper: (_db, _l, files) => { deleteWitness(files.dbPath); }, expected: (l) => ({ seq: l.lastSeq, problems: ['unsigned'] }) },
  { id: 'witness-forge', title: '见证文件：改小其中记载的条数', needs: () => null,
    tamper: (_db, l, files) => { editWitness(files.dbPath, { seq: Math.max(0, l.lastSeq - 3) }); }, expected: (l) => ({ seq: l.lastSeq, problems: ['unsigned'] }) },

  // Laundering: tamper, then do honest work that must not carry the change forward.
  { id: 'launder-rewrite-then-seal', title: '洗白：改写当日登记并重算哈希，再正常签章一次', needs: (l) => openDay(l) ?? need(l.openVisitId !== null, '要有一个可以签章的办证'),
    tamper: (db, l) => { editEntry(db, l.openMiddle!, { count: 88 }, true); relinkFrom(db, l.openMiddle! + 1); }, launder: ['seal'],
    expected: (l) => ({ seq: l.openMiddle!, problems: ['changed'] }) },
  { id: 'launder-truncate-then-seal', title: '洗白：删去当日最后三条和末条签名，再正常签章一次', needs: (l) => openDay(l) ?? need(l.openVisitId !== null, '要有一个可以签章的办证'),
    tamper: (db, l) => { db.prepare('DELETE FROM register_entries WHERE seq > ?').run(l.lastSeq - 3); db.prepare('DELETE FROM entry_records WHERE entry_seq > ?').run(l.lastSeq - 3); db.exec('DELETE FROM register_head'); },
    launder: ['seal'], expected: (l) => ({ seq: l.lastSeq - 2, problems: ['missing'] }) },
  { id: 'launder-tamper-seal-close', title: '洗白：改动当日台账，再签章一次并日结', needs: (l) => need(l.openWithRecords !== null, '当日要有签章的证书') ?? need(l.openVisitId !== null, '要有一个可以签章的办证'),
    tamper: (db, l) => { editRecord(db, recordsOf(db, l.openWithRecords!)[0]!.id, { idNumber: '110101199003070011' }); }, launder: ['seal', 'close-day'],
    expected: (l) => ({ seq: l.openWithRecords!, problems: ['ledger'] }) },
  { id: 'launder-delete-batch-then-close', title: '洗白：删除最后一批，再日结（另签一个同号的批次）', needs: (l) => need(l.lastBatch !== null && l.lastSeq > l.lastBatch.lastSeq, '要有已签名的批次和当日登记'),
    tamper: (db, l) => { db.prepare('DELETE FROM batch_deliveries WHERE batch_no = ?').run(l.lastBatch!.batchNo); db.prepare('DELETE FROM batches WHERE batch_no = ?').run(l.lastBatch!.batchNo); },
    launder: ['close-day'], expected: (l) => ({ seq: l.lastBatch!.firstSeq, problems: ['missing'] }) },
];

/** Works out where things stand in the register at `dbPath`. */
export function layoutOf(dbPath: string): Layout {
  const db = openAsAttacker(`${dbPath}`);
  try {
    const lastSeq = (db.prepare('SELECT coalesce(max(seq), 0) FROM register_entries').pluck().get() as number);
    const batches = db.prepare('SELECT batch_no AS batchNo, first_seq AS firstSeq, last_seq AS lastSeq FROM batches ORDER BY batch_no').all() as { batchNo: number; firstSeq: number; lastSeq: number }[];
    const lastBatch = batches[batches.length - 1] ?? null;
    const openFirst = (lastBatch?.lastSeq ?? 0) + 1;
    const withRecords = db.prepare('SELECT DISTINCT entry_seq FROM entry_records ORDER BY entry_seq').pluck().all() as number[];
    const closedBatch = batches.find((b) => b.lastSeq - b.firstSeq >= 2);
    const replacement = db.prepare("SELECT entry_seq FROM entry_records WHERE json_extract(record, '$.replacesCertNo') IS NOT NULL ORDER BY id DESC LIMIT 1").pluck().get() as number | undefined;
    const openVisit = db.prepare("SELECT v.id FROM visits v WHERE v.sealed_at IS NULL AND EXISTS (SELECT 1 FROM visit_rows r WHERE r.visit_id = v.id) ORDER BY v.id DESC LIMIT 1").pluck().get() as number | undefined;
    return {
      lastSeq,
      lastBatch,
      batchCount: batches.length,
      openMiddle: lastSeq - openFirst >= 2 ? openFirst + 1 : null,
      openWithRecords: withRecords.find((s) => s >= openFirst) ?? null,
      closedMiddle: closedBatch ? closedBatch.firstSeq + 1 : null,
      closedWithRecords: withRecords.find((s) => s < openFirst) ?? null,
      withReplacement: replacement ?? null,
      openVisitId: openVisit ?? null,
    };
  } finally {
    db.close();
  }
}

export interface CaseResult {
  id: string;
  title: string;
  outcome: 'detected' | 'wrong-entry' | 'missed' | 'laundered' | 'skipped';
  line: string;
}

/** Copies the register's files (database, key, witness, the kept old tip) into a new folder. */
export function copyRegister(files: RegisterFiles, dir: string): RegisterFiles {
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'seal-counter.sqlite');
  // Closing the last connection checkpointed any WAL into the file; a -wal left by a crash is copied too.
  for (const suffix of ['', '-wal']) if (existsSync(files.dbPath + suffix)) copyFileSync(files.dbPath + suffix, dbPath + suffix);
  for (const sidecar of [workstationKeyPathFor, registerWitnessPathFor]) if (existsSync(sidecar(files.dbPath))) copyFileSync(sidecar(files.dbPath), sidecar(dbPath));
  return { dbPath, oldTipPath: files.oldTipPath };
}

function withServices<T>(dbPath: string, work: (services: Services) => T): T {
  const services = openServices(dbPath, () => new Date('2026-11-25T16:00:00+08:00'));
  services.ctx.session.signIn({ id: 0, username: 'tamper-kit', displayName: '审核人', role: 'supervisor' });
  try {
    return work(services);
  } finally {
    services.close();
  }
}

/** Plays one case on a copy of `base` in `dir`. */
export function runCase(base: RegisterFiles, layout: Layout, tamperCase: TamperCase, dir: string): CaseResult {
  const { id, title } = tamperCase;
  const result = (outcome: CaseResult['outcome'], detail: string): CaseResult => ({ id, title, outcome, line: `${outcome === 'detected' ? '✓' : outcome === 'skipped' ? '-' : '✗'} ${id}：${title} — ${detail}` });
  const missing = tamperCase.needs(layout, base);
  if (missing) return result('skipped', `跳过：${missing}`);
  const files = copyRegister(base, dir);
  const db = openAsAttacker(files.dbPath);
  try {
    tamperCase.tamper(db, layout, files);
  } finally {
    db.close();
  }
  const expected = tamperCase.expected(layout);
  for (const work of tamperCase.launder ?? []) {
    const written = withServices(files.dbPath, (services) => {
      try {
        if (work === 'seal') sealVisit(services.ctx, layout.openVisitId!);
        else return closeDay(services.ctx).created !== null;
        return true;
      } catch (error) {
        if (error instanceof UserError && /登记簿在签章窗口之外被改动过/.test(error.message)) return false;
        throw error;
      }
    });
    if (written) return result('laundered', `${work === 'seal' ? '签章' : '日结'}没有被拒绝：篡改被带进了新的登记`);
  }
  const report = withServices(files.dbPath, (services) => verifyLiveRegister(services.ctx));
  if (report.intact) return result('missed', `校验登记簿没有发现（全部 ${report.count} 条通过）`);
  const { seq, problem, message } = report.firstBreak;
  const named = `${message}（应指出第 ${expected.seq} 号，指出第 ${seq} 号：${problem}）`;
  return seq === expected.seq && expected.problems.includes(problem) ? result('detected', named) : result('wrong-entry', named);
}

/** A generated approved list, so the kit needs no other files: valid ID numbers, one 批准文号. */
function approvedListCsv(people: number): string {
  const lines = ['序号,姓名,性别,身份证号码,工作单位,主管部门,专业名称,资格名称,级别,批准时间,批准文号'];
  for (let i = 1; i <= people; i++) {
    // Region 510104, born 1985-01-DD, sequence 00 and a gender digit: 17 digits, then the check character.
    const first17 = `510104198501${String(i).padStart(2, '0')}00${i % 2 === 1 ? 1 : 2}`;
    const id = first17 + idCheckCharacter(first17);
    lines.push(`${i},测试人员${i},${Number(id[16]) % 2 === 1 ? '男' : '女'},${id},四川省测试研究院,四川省住房和城乡建设厅,会计,中级会计师,中级,2025-11-20,川人社办发〔2025〕96号`);
  }
  return `${lines.join('\r\n')}\r\n`;
}

function rosterCsv(rows: { seq: number; certNo: string; person: number; remark?: string }[], list: string): Uint8Array {
  const people = list.split('\r\n').slice(1).filter(Boolean).map((line) => line.split(','));
  const lines = ['序号,证书编号,姓名,性别,身份证号码,资格名称,备注'];
  for (const row of rows) {
    const p = people[row.person - 1]!;
    lines.push(`${row.seq},${row.certNo},${p[1]},${p[2]},${p[3]},中级会计师,${row.remark ?? ''}`);
  }
  return new Uint8Array(Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'));
}

/**
 * A register made by the app itself, as a counter leaves it: three exam visits on a Tuesday closed
 * into a batch, three more on the Wednesday still open (one of them a replacement that voids a
 * Tuesday certificate), and one visit with its roster read but not sealed yet.
 */
export async function buildRegister(dir: string): Promise<RegisterFiles> {
  mkdirSync(dir, { recursive: true });
  const dbPath = join(dir, 'seal-counter.sqlite');
  let now = new Date('2026-11-24T09:30:00+08:00');
  const services = openServices(dbPath, () => now);
  const oldTipPath = join(dir, 'old-tip.json');
  try {
    services.ctx.session.signIn({ id: 0, username: 'clerk', displayName: '王芳', role: 'clerk' });
    const list = approvedListCsv(14);
    await importList(services.ctx, '测试合格人员名单.csv', new Uint8Array(Buffer.from(list, 'utf8')), {});
    const visit = async (rows: Parameters<typeof rosterCsv>[0], seal = true) => {
      const created = createVisit(services.ctx, { unit: '四川省住房和城乡建设厅', agentName: '李明', agentPhone: '13800000000', certificateType: '专业技术资格证书', slipNo: '' });
      const detail = await importRoster(services.ctx, created.id, '发证名册.csv', rosterCsv(rows, list));
      // A replacement brought with no application recorded (issue 16) is a warning the clerk confirms.
      const unapplied = detail.rows.filter((r) => r.findings.some((f) => f.code === 'REISSUE_NO_APPLICATION')).map((r) => r.line);
      if (unapplied.length > 0) acknowledgeWarnings(services.ctx, { visitId: created.id, lines: unapplied, reason: '原证书当场交回，补办申请由单位补交' });
      if (seal) sealVisit(services.ctx, created.id);
    };
    await visit([{ seq: 1, certNo: 'C0001', person: 1 }, { seq: 2, certNo: 'C0002', person: 2 }]);
    await visit([{ seq: 1, certNo: 'C0003', person: 3 }, { seq: 2, certNo: 'C0004', person: 4 }]);
    await visit([{ seq: 1, certNo: 'C0005', person: 5 }, { seq: 2, certNo: 'C0006', person: 6 }]);
    closeDay(services.ctx);
    // What someone planning a rollback would keep: the signed tip as the day closed.
    writeFileSync(oldTipPath, JSON.stringify(services.ctx.db.prepare('SELECT seq, hash, last_batch_no, record_count, last_record_id, signature FROM register_head').get()));
    now = new Date('2026-11-25T10:00:00+08:00');
    await visit([{ seq: 1, certNo: 'C0007', person: 7 }, { seq: 2, certNo: 'C0008', person: 8 }]);
    await visit([{ seq: 1, certNo: 'C0009', person: 9 }, { seq: 2, certNo: 'C0010', person: 10 }]);
    await visit([{ seq: 1, certNo: 'C0011', person: 1, remark: '补办、原证书编号C0001作废' }]);
    await visit([{ seq: 1, certNo: 'C0012', person: 12 }, { seq: 2, certNo: 'C0013', person: 13 }], false);
  } finally {
    services.close();
  }
  return { dbPath, oldTipPath };
}

export interface KitReport {
  results: CaseResult[];
  summary: string;
}

/** Plays every case against `base` (a register made by buildRegister, or a copy of a real one). */
export function runKit(base: RegisterFiles, workDir: string = mkdtempSync(join(tmpdir(), 'seal-tamper-'))): KitReport {
  const layout = layoutOf(base.dbPath);
  const results = CASES.map((c) => runCase(base, layout, c, join(workDir, c.id)));
  const played = results.filter((r) => r.outcome !== 'skipped');
  const detected = played.filter((r) => r.outcome === 'detected').length;
  const laundered = played.filter((r) => r.outcome === 'laundered').length;
  return { results, summary: `tampering: ${played.length} cases, ${detected} detected at the right entry, ${laundered} laundered` };
}
