import type { Verdict } from '../verify/findings';

/** A roster row as a 预审 kept it: enough to recognise the row on the counter day and say what changed. */
export interface PrecheckRow {
  rowNo: number;
  name: string;
  idText: string;
  certNo: string;
  qualification: string;
  verdict: Verdict;
  findings: { code: string; message: string }[];
}

/**
 * The code printed on a 预审报告: the first 16 hex digits of the file's SHA-256, in four groups,
 * short enough to read out over the phone and long enough that two files never share it by chance.
 */
export function precheckCode(sha256Hex: string): string {
  return sha256Hex.slice(0, 16).toUpperCase().replace(/(.{4})(?=.)/g, '$1-');
}

export interface RosterChange {
  change: '新增' | '删除' | '修改';
  rowNo: number;
  name: string;
  detail: string;
}

const VERDICT_TEXT: Record<Verdict, string> = { pass: '通过', warning: '警告', error: '错误' };

/** A person's row is the same row in both files when the ID (and the qualification) match, wherever it moved. */
const rowKey = (row: PrecheckRow) => `${row.idText.trim().toUpperCase() || `#${row.rowNo}:${row.name}`}|${row.qualification}`;

/** What differs between the roster that was prechecked and the one brought to the counter. */
export function compareRosters(prechecked: readonly PrecheckRow[], brought: readonly PrecheckRow[]): RosterChange[] {
  const before = new Map(prechecked.map((row) => [rowKey(row), row]));
  const changes: RosterChange[] = [];
  const seen = new Set<string>();
  for (const row of brought) {
    const key = rowKey(row);
    seen.add(key);
    const old = before.get(key);
    if (!old) {
      changes.push({ change: '新增', rowNo: row.rowNo, name: row.name, detail: `预审时没有此行（${row.idText}）` });
      continue;
    }
    const differences: string[] = [];
    if (old.name !== row.name) differences.push(`姓名由“${old.name}”改为“${row.name}”`);
    if (old.certNo !== row.certNo) differences.push(`证书编号由“${old.certNo}”改为“${row.certNo}”`);
    if (old.verdict !== row.verdict) differences.push(`核验结果由“${VERDICT_TEXT[old.verdict]}”变为“${VERDICT_TEXT[row.verdict]}”`);
    if (differences.length > 0) changes.push({ change: '修改', rowNo: row.rowNo, name: row.name, detail: differences.join('；') });
  }
  for (const [key, row] of before) {
    if (!seen.has(key)) changes.push({ change: '删除', rowNo: row.rowNo, name: row.name, detail: `预审时第 ${row.rowNo} 行，今天的名册中没有（${row.idText}）` });
  }
  return changes;
}
