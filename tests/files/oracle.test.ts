import { describe, expect, it } from 'vitest';
import { openWorkbook } from '../../core/files/readSheet';
import { cellName, type Cell } from '../../core/files/sheet';
import { xlsCorpus } from './corpus/xlsCorpus';
import { xlsxCorpus } from './corpus/xlsxCorpus';
import { canonical, sheetjsRead } from './oracle';

/**
 * Our readers and SheetJS read every workbook of the corpus (tests/files/corpus: each way the
 * formats allow cells, strings, dates, sheets and rows to be written) to the same sheets, the same
 * visibility and the same cells. Where they differ, the difference is listed here with the reason
 * ours is what Excel shows, and the test checks that both sides still say exactly that.
 */
const KNOWN: { file: string; sheet: number; cell: [number, number]; ours: Cell; sheetjs: Cell; why: string }[] = [
  ...([[1, '2025-06-12', 45820], [2, '2025-06-19', 45827.75], [3, '2025-06-26', 45834.5]] as const).map(([row, ours, sheetjs]) => ({
    file: 'dates-style-4.xlsx', sheet: 0, cell: [row, 6] as [number, number], ours, sheetjs,
    why: 'numFmtId 31 is the zh-CN built-in yyyy"年"m"月"d"日" that Excel and WPS write without a format code; SheetJS does not know the zh-CN ids',
  })),
  { file: 'dates-custom-zh.xls', sheet: 0, cell: [2, 6], ours: '2025-06-19', sheetjs: 45827.75, why: 'the same zh-CN built-in format 31, in BIFF8' },
  { file: 'shared-rich-phonetic.xlsx', sheet: 0, cell: [0, 4], ours: '换行\r\n第二行', sheetjs: '换行\n第二行', why: 'Excel writes a carriage return in a cell as _x000D_; SheetJS drops it' },
];

describe('our readers and SheetJS read the corpus alike', () => {
  const files = [...xlsxCorpus(), ...xlsCorpus()];

  it('covers both formats and every variation named in the corpus', () => {
    expect(files.filter((f) => f.name.endsWith('.xlsx')).length).toBeGreaterThanOrEqual(20);
    expect(files.filter((f) => f.name.endsWith('.xls')).length).toBeGreaterThanOrEqual(8);
  });

  it.each(files.map((f) => [f.name, f] as const))('%s', (_name, file) => {
    const workbook = openWorkbook(file.name, file.bytes);
    const ours = workbook.sheets.map((s, i) => ({ name: s.name, visible: s.visible, rows: canonical(workbook.read(i).rows) }));
    const theirs = sheetjsRead(file.bytes).map((s) => ({ name: s.name, visible: s.visible, rows: canonical(s.rows) }));
    for (const known of KNOWN.filter((k) => k.file === file.name)) {
      const [r, c] = known.cell;
      const where = `${file.name} ${cellName(r, c)}: ${known.why}`;
      expect(ours[known.sheet]!.rows[r]![c], where).toEqual(known.ours);
      expect(theirs[known.sheet]!.rows[r]![c], where).toEqual(known.sheetjs);
      theirs[known.sheet]!.rows[r]![c] = known.ours;
    }
    expect(ours, file.about).toEqual(theirs);
  });
});
