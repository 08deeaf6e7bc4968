import type { Content, TableCell, TDocumentDefinitions } from 'pdfmake/interfaces';
import { PRINT_FONT } from '../print/layout';
import { chineseDate } from './dates';
import type { ApplicantPerson, ConfirmationTitle } from './records';
import type { RecognitionKind } from './terms';

/**
 * The 认定书 a confirmation issues (Hubei 2013 三（三）4): numbered, naming the title as it was
 * obtained and keeping its original date (三（五）2: 确认的任职资格时间按原任职资格时间计算), to
 * be used together with the original certificate. Sealed by hand with the office's seal; the
 * sealing is a register entry of its own.
 */
export interface RecognitionInput {
  kind: RecognitionKind;
  number: string;
  officeName: string;
  person: ApplicantPerson;
  title: ConfirmationTitle;
  decidedOn: string;
  printedAt: string;
}

export function recognitionDocument(input: RecognitionInput): TDocumentDefinitions {
  const { person, title } = input;
  const paragraph = (text: string): Content => ({ text, fontSize: 13, lineHeight: 1.6, margin: [0, 0, 0, 8], leadingIndent: 26 });
  const row = (label: string, value: string): TableCell[] => [{ text: label, bold: true, alignment: 'center' }, { text: value }];
  return {
    pageSize: 'A4',
    pageOrientation: 'portrait',
    pageMargins: [64, 56, 64, 48],
    info: { title: `${input.kind} ${input.number}`, author: input.officeName, creator: '签章窗口', producer: '签章窗口' },
    defaultStyle: { font: PRINT_FONT, fontSize: 11 },
    footer: () => ({ text: `打印时间：${input.printedAt}　　由签章窗口生成，认定记录以系统登记簿为准`, fontSize: 8, alignment: 'center', margin: [0, 16, 0, 0] }),
    content: [
      { text: `编号：${input.number}`, alignment: 'right', fontSize: 11, margin: [0, 0, 0, 24] },
      { text: input.kind, alignment: 'center', fontSize: 26, bold: true, characterSpacing: 8, margin: [0, 0, 0, 28] },
      paragraph(`${person.name}，${person.gender}，身份证号码 ${person.idNumber}，工作单位：${person.workUnit}。`),
      paragraph(`该同志于${chineseDate(title.obtainedOn)}经${title.issuedBy}（${title.obtainedIn}）评审通过并核准（${title.approvalDoc}），取得${title.major}专业“${title.qualification}”（${title.level}）专业技术资格，原证书编号 ${title.certNo}。`),
      paragraph(`经审核，符合省外取得专业技术资格的确认条件，予以确认。其任职资格时间按原任职资格时间计算，自${chineseDate(title.obtainedOn)}起。`),
      paragraph('本认定书须与原专业技术资格证书配合使用，原证书由本人保存。'),
      {
        margin: [0, 12, 0, 36],
        table: {
          widths: [120, '*'],
          body: [
            row('姓名', person.name), row('身份证号码', person.idNumber), row('资格名称', title.qualification), row('专业', title.major), row('级别', title.level),
            row('原取得时间', chineseDate(title.obtainedOn)), row('原批准文号', title.approvalDoc), row('原评审（核准）机关', `${title.issuedBy}（${title.obtainedIn}）`),
            row('原证书编号', title.certNo), row('认定书编号', input.number),
          ],
        },
      },
      { text: input.officeName, alignment: 'right', fontSize: 13, margin: [0, 0, 0, 6] },
      { text: '（盖章）', alignment: 'right', fontSize: 12, color: '#666666', margin: [0, 0, 24, 6] },
      { text: chineseDate(input.decidedOn), alignment: 'right', fontSize: 13 },
    ],
  };
}
