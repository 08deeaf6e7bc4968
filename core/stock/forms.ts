import type { Content, CustomTableLayout, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { PRINT_FONT } from '../print/layout';
import { WORKER_CERTIFICATE } from '../verify/certificateTypes';
import type { BalanceLine, OfficeStockLine } from './balance';
import { formatRanges, type NumberRange } from './ranges';
import { WORKER_GRADES, type IssueBasis, type WorkerGrade } from './terms';

/**
 * The office's stock papers as pdfmake documents (rendered by services/print/pdf.ts): the
 * 申领计划表 and the 发放单 of Sichuan 2012 (川人社函〔2012〕389号 附件1 and 附件2), laid out as the
 * notice prints them, and the yearly reconciliation statement. They only lay out what the register
 * holds; the register stays the record.
 */

export const PLAN_FORM_TITLE = '四川省机关事业单位工人技术等级(职务)资格证书申领计划表';
export const WORKER_ISSUE_SLIP_TITLE = '四川省机关事业单位工人技术等级（职务）资格证书发放单';
export const ISSUE_SLIP_TITLE = '空白证书发放单';
export const STATEMENT_TITLE = '空白证书领用对账单';
const WORKER_CERTIFICATE_BOOK = '《四川省机关事业单位工人技术等级（职务）资格证书》';

/** Grades as the forms space them out: 初 级 (本). */
const spaced = (word: string) => word.split('').join(' ');

/** "2026年3月3日" from YYYY-MM-DD, as the forms' 年 月 日 are filled in by hand. */
export function chineseDate(date: string): string {
  const [year, month, day] = date.split('-').map(Number);
  return `${year}年${month}月${day}日`;
}

const RULED: CustomTableLayout = {
  hLineWidth: () => 0.8,
  vLineWidth: () => 0.8,
  hLineColor: '#222222',
  vLineColor: '#222222',
  paddingLeft: () => 6,
  paddingRight: () => 6,
  paddingTop: () => 8,
  paddingBottom: () => 8,
};

function documentBase(title: string, officeName: string, printedAt: string, landscape = false): Omit<TDocumentDefinitions, 'content'> {
  return {
    pageSize: 'A4',
    pageOrientation: landscape ? 'landscape' : 'portrait',
    pageMargins: [48, 48, 48, 40],
    info: { title, author: officeName, creator: '签章窗口', producer: '签章窗口' },
    defaultStyle: { font: PRINT_FONT, fontSize: 11 },
    footer: (currentPage, pageCount) => ({
      margin: [48, 10, 48, 0],
      fontSize: 8,
      columns: [
        { width: '*', text: `打印时间：${printedAt}　　本表由签章窗口生成，记录以系统登记簿为准` },
        { width: 'auto', text: `第 ${currentPage} 页 / 共 ${pageCount} 页` },
      ],
    }),
  };
}

export interface PlanFormInput {
  officeName: string;
  unit: string;
  contact: string;
  phone: string;
  /** When the plan was filed: the date line above the table. */
  date: string;
  grades: Record<WorkerGrade, number>;
  printedAt: string;
}

/** 附件1, row for row: 单位; 联系人 / 联系电话; 需求数量 per grade and 合计; the two opinions with seal and date. */
export function planFormDocument(input: PlanFormInput): TDocumentDefinitions {
  const total = WORKER_GRADES.reduce((sum, grade) => sum + input.grades[grade], 0);
  const count = (value: number): TableCell => ({ text: String(value), colSpan: 2, alignment: 'center' });
  const opinion = (label: string): TableCell[] => [
    { text: label, alignment: 'center', margin: [0, 14, 0, 14] },
    { text: '(印章)\n\n年　　月　　日', colSpan: 3, alignment: 'right', margin: [0, 24, 24, 0] }, {}, {},
  ];
  const body: TableCell[][] = [
    [{ text: '单　位', alignment: 'center' }, { text: input.unit, colSpan: 3 }, {}, {}],
    [{ text: '联系人', alignment: 'center' }, { text: input.contact }, { text: '联系电话', alignment: 'center' }, { text: input.phone }],
    ...[...WORKER_GRADES.map((grade) => [`${spaced(grade)} (本)`, input.grades[grade]] as const), [`${spaced('合计')} (本)`, total] as const].map(([label, value], i): TableCell[] => [
      i === 0 ? { text: '需\n求\n数\n量', rowSpan: 5, alignment: 'center', margin: [0, 40, 0, 0] } : {},
      { text: label, alignment: 'center' },
      count(value), {},
    ]),
    opinion('市(州)人力资源和社会保障行政部门意见'),
    opinion('省人力资源和社会保障厅职业能力建设处意见'),
  ];
  return {
    ...documentBase(PLAN_FORM_TITLE, input.officeName, input.printedAt),
    content: [
      { text: '附件1', fontSize: 10, margin: [0, 0, 0, 8] },
      { text: PLAN_FORM_TITLE, bold: true, fontSize: 15, alignment: 'center', margin: [0, 0, 0, 12] },
      { text: chineseDate(input.date), alignment: 'right', margin: [0, 0, 0, 6] },
      { layout: RULED, table: { widths: [110, 110, 90, '*'], body } },
    ],
  };
}

/** What the base count of an issue was, in the slip's sentence. */
const BASE_WORDS: Record<IssueBasis, string> = { plan: '按申领计划表', roster: '按登记表人数', exchange: '凭废证换领' };

export interface IssueSlipInput {
  officeName: string;
  /** The register entry of the issue: the paper names it so it can be found again. */
  seq: number;
  unit: string;
  certificateType: string;
  date: string;
  basis: IssueBasis;
  base: number;
  spares: number;
  count: number;
  grades: Record<WorkerGrade, number> | null;
  ranges: NumberRange[];
  clerk: string;
  printedAt: string;
}

/**
 * 附件2: the same slip twice on the page, cut apart along the dotted line; the lower one carries
 * 职业能力建设处（章）. Other certificate types get the same slip in their own words, with the
 * spares and the number ranges the office handed out.
 */
export function issueSlipDocument(input: IssueSlipInput): TDocumentDefinitions {
  const worker = input.certificateType === WORKER_CERTIFICATE && input.grades !== null;
  const title = worker ? WORKER_ISSUE_SLIP_TITLE : ISSUE_SLIP_TITLE;
  const grades = input.grades;
  const sentence = worker && grades
    ? `现有 ${input.unit} 领取空白${WORKER_CERTIFICATE_BOOK}，其中：初级 ${grades['初级']} 本，中级 ${grades['中级']} 本，高级 ${grades['高级']} 本，技师 ${grades['技师']} 本。`
    : `现有 ${input.unit} 领取空白《${input.certificateType}》${input.count} 本，其中：${BASE_WORDS[input.basis]} ${input.base} 本，备用证书 ${input.spares} 本。`;
  const copy = (stamp: string | null): Content => ({
    stack: [
      { text: title, bold: true, fontSize: 15, alignment: 'center', margin: [0, 0, 0, 18] },
      { text: sentence, leadingIndent: 22, lineHeight: 1.6 },
      ...(input.ranges.length > 0 ? [{ text: `证书编号：${formatRanges(input.ranges)}`, lineHeight: 1.6 }] : []),
      { text: `发放登记：第 ${input.seq} 号　经办人：${input.clerk}`, fontSize: 9, color: '#444444', margin: [0, 6, 0, 0] },
      ...(stamp ? [{ text: stamp, alignment: 'right' as const, margin: [0, 18, 40, 0] as [number, number, number, number] }] : []),
      { text: chineseDate(input.date), alignment: 'right', margin: [0, stamp ? 6 : 24, 40, 0] },
    ],
  });
  return {
    ...documentBase(title, input.officeName, input.printedAt),
    content: [
      { text: worker ? '附件2' : ' ', fontSize: 10, margin: [0, 0, 0, 8] },
      copy(null),
      // The cut line between the two copies.
      { canvas: [{ type: 'line', x1: 0, y1: 0, x2: 499, y2: 0, lineWidth: 0.8, dash: { length: 4, space: 3 }, lineColor: '#666666' }], margin: [0, 40, 0, 40] },
      copy(worker ? '职业能力建设处（章）' : '发证机关（章）'),
    ],
  };
}

export interface StatementInput {
  officeName: string;
  year: number;
  /** The unit the statement is for; null for the whole office. */
  unit: string | null;
  lines: BalanceLine[];
  office: OfficeStockLine[];
  printedAt: string;
}

export const STATEMENT_COLUMNS = ['用章单位', '证书类型', '领取', '其中备用', '其中换领', '已签章', '退回废证', '尚持有', '号段', '核对'] as const;

export function statementRow(line: BalanceLine): string[] {
  return [line.unit, line.certificateType, String(line.issued), String(line.spares), String(line.exchanged), String(line.sealed), String(line.spoiled), String(line.held),
    line.ranges.length > 0 ? formatRanges(line.ranges) : '', line.flags.length > 0 ? line.flags.map((f) => f.message).join('') : '相符'];
}

export const OFFICE_STOCK_COLUMNS = ['证书类型', '入库', '发放', '库存', '库存号段'] as const;

export function officeStockRow(line: OfficeStockLine): string[] {
  return [line.certificateType, String(line.received), String(line.issued), String(line.onHand), line.rangesOnHand.length > 0 ? formatRanges(line.rangesOnHand) : ''];
}

/** issued = sealed + spoiled returned + held, per unit and type, and what the office still has. */
export function statementDocument(input: StatementInput): TDocumentDefinitions {
  const header = (titles: readonly string[]): TableCell[] => titles.map((text) => ({ text, bold: true, fillColor: '#eeeeee', alignment: 'center' }));
  // A range is never split at its dash: one range a line.
  const cells = (row: string[], centered: (i: number) => boolean, flagged = false, rangesAt = -1): TableCell[] =>
    row.map((text, i) => (i === rangesAt
      ? { text: text.split('、').join('\n'), noWrap: true }
      : { text, alignment: centered(i) ? 'center' : 'left', color: flagged && i === row.length - 1 ? '#b00000' : '#000000' }));
  const empty: TableCell[] = [{ text: '本年度没有空白证书领用记录', colSpan: STATEMENT_COLUMNS.length, alignment: 'center' }, ...STATEMENT_COLUMNS.slice(1).map(() => ({}))];
  const small: CustomTableLayout = { ...RULED, paddingTop: () => 3, paddingBottom: () => 3, paddingLeft: () => 3, paddingRight: () => 3 };
  const subtitle = `${input.year}年度${input.unit ? `　${input.unit}` : '　全部用章单位'}`;
  return {
    ...documentBase(`${STATEMENT_TITLE} ${subtitle}`, input.officeName, input.printedAt, true),
    defaultStyle: { font: PRINT_FONT, fontSize: 9 },
    content: [
      { text: input.officeName, alignment: 'center', fontSize: 11 },
      { text: STATEMENT_TITLE, bold: true, fontSize: 16, alignment: 'center', margin: [0, 2, 0, 2] },
      { text: subtitle, alignment: 'center', margin: [0, 0, 0, 4] },
      { text: '领取 = 已签章 + 退回废证 + 尚持有', alignment: 'center', fontSize: 9, color: '#444444', margin: [0, 0, 0, 8] },
      {
        layout: small,
        table: {
          headerRows: 1,
          dontBreakRows: true,
          widths: [136, 126, 30, 36, 36, 34, 40, 34, '*', 84],
          body: [header(STATEMENT_COLUMNS), ...(input.lines.length > 0 ? input.lines.map((l) => cells(statementRow(l), (i) => i >= 2 && i <= 7, l.flags.length > 0, 8)) : [empty])],
        },
      },
      ...(input.unit ? [] : [
        { text: '本窗口库存', bold: true, margin: [0, 14, 0, 4] } as Content,
        { layout: small, table: { headerRows: 1, widths: [136, 50, 50, 50, '*'], body: [header(OFFICE_STOCK_COLUMNS), ...input.office.map((l) => cells(officeStockRow(l), (i) => i >= 1 && i <= 3, false, 4))] } } as Content,
      ]),
      { text: '经办人：　　　　　　　　　　审核人：　　　　　　　　　　用章单位经办人：', margin: [0, 24, 0, 0] },
    ],
  };
}
