import { chineseDate } from './dates';
import type { ApplicantPerson, LossNotice, OriginalCertificate } from './records';
import type { SummaryForm } from './settings';
import type { DamageReason, ReplacementKind } from './terms';

/**
 * The forms replacements are sent up with (DOMAIN.md §11), as plain data that both the .xlsx
 * export and the printed PDF lay out: Sichuan 2015 附件5, Anhui 2013 附件3 and 附件4 (one table
 * of everyone each), and Chongqing 2018 附件2 (one form per person).
 *
 * The seeds carry the text of the notices but not the tables of Sichuan's 附件5 and Anhui's
 * 附件3/附件4; their columns here are the items those notices say the forms and the loss notice
 * must give (姓名、身份证号、证书名称、编号、专业、级别、取得时间, the reason, the unit), in that
 * order. Chongqing's 附件2 is in the seeds and is reproduced cell for cell.
 */
export interface TableColumn {
  title: string;
  /** In characters, as a spreadsheet column is measured. */
  width: number;
  /** Kept as text whatever it looks like: ID and certificate numbers. */
  text?: boolean;
}

export interface TableForm {
  layout: 'table';
  sheetName: string;
  attachment: string;
  title: string;
  /** Lines above the table: who sends it, when, for which window. */
  preamble: string[];
  columns: TableColumn[];
  rows: (string | number)[][];
  footer: string[];
}

export interface GridCell {
  text: string;
  span?: number;
  /** A printed label of the form, as opposed to what is filled in. */
  label?: boolean;
  /** Set against the right edge, as the forms put 年 月 日 under a signature or an opinion. */
  right?: boolean;
}

export interface GridForm {
  layout: 'grid';
  sheetName: string;
  attachment: string;
  title: string;
  /** Widths of the grid's columns, in characters. */
  columns: number[];
  rows: { cells: GridCell[]; tall?: boolean }[];
}

export type FormSheet = TableForm | GridForm;

export interface FormDocument {
  form: SummaryForm;
  fileStem: string;
  landscape: boolean;
  sheets: FormSheet[];
}

/** An application as the forms need it. */
export interface FormApplication {
  appNo: string;
  replacementKind: ReplacementKind;
  person: ApplicantPerson;
  original: OriginalCertificate;
  lossNotice: LossNotice | null;
  damage: { reason: DamageReason; correction: string } | null;
  /** The replacement's number once it was sealed; '' before. */
  newCertNo: string;
}

export interface FormContext {
  officeName: string;
  /** e.g. 2027年5月报送（5月31日前）; '' for applications chosen by number. */
  windowLabel: string;
  /** The office's date the form is made on. */
  madeOn: string;
}

export const FORM_TITLES: Record<SummaryForm, string> = {
  四川2015附件5: '更换、补发专业、职（执）业资格证书人员情况登记表',
  安徽2013附件3附件4: '补（换）发专业技术资格证书情况汇总表 / 补（换）发职业（执业）资格证书情况汇总表',
  重庆2018附件2: '职称证书补办（换发）申请表',
};

function reasonText(app: FormApplication): string {
  if (app.replacementKind === '补办') {
    const notice = app.lossNotice;
    return notice ? `遗失，已于${chineseDate(notice.publishedOn)}在《${notice.newspaper}》（${notice.issn}）刊登遗失声明` : '遗失';
  }
  return app.damage?.reason === '填错' ? `填错：${app.damage.correction}` : '损坏';
}

const sendingLine = (context: FormContext) => `报送单位（盖章）：${context.officeName}　　填报人：　　　　　联系电话：　　　　　　报送日期：${chineseDate(context.madeOn)}`;

function sichuan2015(apps: readonly FormApplication[], context: FormContext): FormDocument {
  return {
    form: '四川2015附件5',
    fileStem: `附件5-更换、补发专业、职（执）业资格证书人员情况登记表${context.windowLabel ? `-${context.windowLabel.slice(0, context.windowLabel.indexOf('报送'))}` : ''}`,
    landscape: true,
    sheets: [{
      layout: 'table',
      sheetName: '附件5',
      attachment: '附件5',
      title: FORM_TITLES.四川2015附件5,
      preamble: [sendingLine(context), ...(context.windowLabel ? [`报送批次：${context.windowLabel}`] : [])],
      columns: [
        { title: '序号', width: 6 }, { title: '姓名', width: 10 }, { title: '性别', width: 6 }, { title: '身份证号码', width: 23, text: true },
        { title: '证书名称', width: 16 }, { title: '专业', width: 12 }, { title: '级别', width: 8 }, { title: '证书编号', width: 18, text: true },
        { title: '取得时间', width: 12 }, { title: '工作单位', width: 22 }, { title: '更换或补发', width: 11 }, { title: '更换、补发原因', width: 29 },
        { title: '备注', width: 16, text: true },
      ],
      rows: apps.map((app, index) => [
        index + 1, app.person.name, app.person.gender, app.person.idNumber, app.original.qualification, app.original.major, app.original.level,
        app.original.certNo, app.original.approvedOn, app.person.workUnit, app.replacementKind === '补办' ? '补发' : '更换', reasonText(app), app.appNo,
      ]),
      footer: [`共 ${apps.length} 人。附：证书补办人（更换人）提交的全部材料。`, '说明：每年5月、11月集中两次报送省职改办；证书编号、身份证号码请勿改为数值格式。'],
    }],
  };
}

function anhuiSheet(sheetName: '附件3' | '附件4', apps: readonly FormApplication[], context: FormContext): TableForm {
  const vocational = sheetName === '附件4';
  return {
    layout: 'table',
    sheetName,
    attachment: sheetName,
    title: vocational ? '补（换）发职业（执业）资格证书情况汇总表' : '补（换）发专业技术资格证书情况汇总表',
    preamble: [`填报单位（盖章）：${context.officeName}　　填报人：　　　　　联系电话：　　　　　　填报日期：${chineseDate(context.madeOn)}`],
    columns: [
      { title: '序号', width: 6 }, { title: '姓名', width: 10 }, { title: '性别', width: 6 }, { title: '身份证号码', width: 23, text: true },
      { title: '工作单位', width: 22 }, { title: vocational ? '职业（执业）资格名称' : '资格名称', width: 16 }, { title: '专业', width: 12 }, { title: '级别', width: 8 },
      { title: '取得资格时间', width: 13 }, { title: '原证书编号', width: 18, text: true }, { title: '补发或换发', width: 11 }, { title: '补（换）发原因', width: 29 },
      { title: '备注', width: 16, text: true },
    ],
    rows: apps.map((app, index) => [
      index + 1, app.person.name, app.person.gender, app.person.idNumber, app.person.workUnit, app.original.qualification, app.original.major, app.original.level,
      app.original.approvedOn, app.original.certNo, app.replacementKind === '补办' ? '补发' : '换发', reasonText(app), app.appNo,
    ]),
    footer: [`共 ${apps.length} 人。于当年10月底前将有关材料、表格统一报省政务中心人社厅服务窗口。`],
  };
}

function anhui2013(apps: readonly FormApplication[], context: FormContext): FormDocument {
  const vocational = apps.filter((a) => a.original.certificateType === '职（执）业资格证书');
  const professional = apps.filter((a) => a.original.certificateType !== '职（执）业资格证书');
  const sheets = [
    ...(professional.length > 0 ? [anhuiSheet('附件3', professional, context)] : []),
    ...(vocational.length > 0 ? [anhuiSheet('附件4', vocational, context)] : []),
  ];
  return { form: '安徽2013附件3附件4', fileStem: `附件3附件4-补（换）发证书情况汇总表${context.windowLabel ? `-${context.madeOn.slice(0, 4)}` : ''}`, landscape: true, sheets };
}

function birthMonth(idNumber: string): string {
  return /^\d{17}[\dX]$/.test(idNumber) ? `${idNumber.slice(6, 10)}年${Number(idNumber.slice(10, 12))}月` : '';
}

const SIGNED: GridCell = { text: '年　　月　　日', span: 5, right: true };

/** Chongqing 2018 附件2, one per person, in the order of its cells. */
function chongqingForm(app: FormApplication, index: number): GridForm {
  const l = (text: string, span = 1): GridCell => ({ text, span, label: true });
  const v = (text: string, span = 1): GridCell => ({ text, span });
  const notice = app.lossNotice;
  return {
    layout: 'grid',
    sheetName: `附件2-${index + 1}-${app.person.name}`.slice(0, 31),
    attachment: '附件2',
    title: FORM_TITLES.重庆2018附件2,
    columns: [30, 20, 10, 14, 10, 14],
    rows: [
      { cells: [l('姓　名'), v(app.person.name), l('性别'), v(app.person.gender), l('出生年月'), v(birthMonth(app.person.idNumber))] },
      { cells: [l('身份证号码'), v(app.person.idNumber, 2), l('联系电话'), v(app.person.phone, 2)] },
      { cells: [l('补办（换发）理由'), v(app.replacementKind === '补办' ? '■补办　□换发' : '□补办　■换发', 2), l('遗失登报报纸名称及时间'), v(notice ? `《${notice.newspaper}》 ${chineseDate(notice.publishedOn)}` : '', 2)] },
      { cells: [l('原证书编号'), v(app.original.certNo, 2), l('新证书编号'), v(app.newCertNo, 2)] },
      { cells: [l('专业名称'), v(app.original.major, 2), l('资格名称'), v(app.original.qualification, 2)] },
      { cells: [l('批准时间'), v(app.original.approvedOn, 2), l('批准文号'), v(app.original.approvalDoc, 2)] },
      { tall: true, cells: [l('申请人签字'), SIGNED] },
      { tall: true, cells: [l('工作单位意见'), SIGNED] },
      { tall: true, cells: [l('区县人才机构或区县主管部门意见'), SIGNED] },
      { tall: true, cells: [l('区县职改办或市级主管部门意见'), SIGNED] },
      { tall: true, cells: [l('资格核准部门意见'), SIGNED] },
    ],
  };
}

function chongqing2018(apps: readonly FormApplication[]): FormDocument {
  const stem = apps.length === 1 ? `附件2-职称证书补办（换发）申请表-${apps[0]!.person.name}` : `附件2-职称证书补办（换发）申请表-${apps.length}人`;
  return { form: '重庆2018附件2', fileStem: stem, landscape: false, sheets: apps.map(chongqingForm) };
}

export function formDocument(form: SummaryForm, apps: readonly FormApplication[], context: FormContext): FormDocument {
  if (form === '四川2015附件5') return sichuan2015(apps, context);
  if (form === '安徽2013附件3附件4') return anhui2013(apps, context);
  return chongqing2018(apps);
}
