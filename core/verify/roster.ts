import { cellOf, readTable, textOf, type Field } from './columns';
import { normalizeCode, normalizeName } from './text';

/** One line of an issuance roster (发证名册) as the unit wrote it. */
export interface RosterRow {
  /** 序号 when the roster has one, otherwise the position in the roster (1-based). */
  rowNo: number;
  line: number;
  certNo: string;
  workUnit: string;
  department: string;
  name: string;
  gender: string;
  /** The ID cell as read: a number means the spreadsheet had turned it into one. */
  idRaw: string | number | null;
  major: string;
  qualification: string;
  level: string;
  approvedOn: string | number | null;
  approvalDoc: string;
  remark: string;
}

export interface ParsedRoster {
  headerLine: number;
  /** The sheet the roster was read from (a workbook may have several). */
  sheetName: string;
  /** The optional columns this roster has; a missing column is not compared. */
  present: Field[];
  rows: RosterRow[];
}

export const ROSTER_REQUIRED: readonly Field[] = ['name', 'idNumber', 'qualification', 'certNo'];

export function parseRoster(fileName: string, bytes: Uint8Array): ParsedRoster {
  const table = readTable(fileName, bytes, ROSTER_REQUIRED);
  const rows = table.dataRows.map(({ line, cells }, index): RosterRow => {
    const seq = Number(textOf(table, cells, 'seq'));
    const idCell = cellOf(table, cells, 'idNumber');
    return {
      rowNo: Number.isInteger(seq) && seq > 0 ? seq : index + 1,
      line,
      certNo: normalizeCode(textOf(table, cells, 'certNo')),
      workUnit: textOf(table, cells, 'workUnit'),
      department: textOf(table, cells, 'department'),
      name: normalizeName(textOf(table, cells, 'name')),
      gender: textOf(table, cells, 'gender'),
      idRaw: typeof idCell === 'number' ? idCell : idCell == null ? null : String(idCell),
      major: textOf(table, cells, 'major'),
      qualification: textOf(table, cells, 'qualification'),
      level: textOf(table, cells, 'level'),
      approvedOn: cellOf(table, cells, 'approvedOn'),
      approvalDoc: textOf(table, cells, 'approvalDoc'),
      remark: textOf(table, cells, 'remark'),
    };
  });
  return { headerLine: table.headerLine, sheetName: table.sheetName, present: [...table.columns.keys()], rows };
}
