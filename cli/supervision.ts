import { writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { UserError } from '../core/errors';
import { isCertificateType } from '../core/settings/settings';
import { runPrecheck } from '../services/supervision/precheck';
import { DB_OPTION, defineCommand, EXIT_OK, readArgumentFile, type Command } from './command';
import { withServices } from './workstation';

export const SUPERVISION_COMMANDS: readonly Command[] = [
  defineCommand({
    name: 'precheck',
    synopsis: 'FILE --out REPORT.pdf [--xlsx REPORT.xlsx] [--db PATH] [--unit 用章单位] [--type 证书类型]',
    help: '预审发证名册：按与签章窗口相同的核验规则检查，生成预审报告（PDF，可另存 .xlsx），报告上印有预审码；不签章、不登记、不使用签章凭条。\n未指定 --unit 时以名册中最多的工作单位为用章单位。',
    options: { ...DB_OPTION, out: { type: 'string' }, xlsx: { type: 'string' }, unit: { type: 'string' }, type: { type: 'string' } },
    positionals: { min: 1, names: 'FILE' },
    run: ({ values, positionals: [file], env }) => {
      if (!values.out) throw new UserError('请用 --out 指定预审报告（PDF）的保存位置。');
      const out = values.out;
      const type = values.type;
      if (type !== undefined && !isCertificateType(type)) throw new UserError(`未知的证书类型“${type}”。`);
      return withServices(values.db, env, async (services) => {
        const { precheck, papers } = await runPrecheck(services.ctx, { fileName: basename(file!), bytes: readArgumentFile(file!), unit: values.unit, certificateType: type });
        writeFileSync(out, Buffer.from(papers.pdfBase64, 'base64'));
        if (values.xlsx) writeFileSync(values.xlsx, Buffer.from(papers.xlsxBase64, 'base64'));
        const { counts } = precheck;
        console.log(`预审完成：${precheck.unit}，共 ${counts.total} 行：通过 ${counts.pass}，警告 ${counts.warning}，错误 ${counts.error}。`);
        console.log(`预审码 ${precheck.code}；报告已保存到 ${out}${values.xlsx ? `、${values.xlsx}` : ''}。`);
        return EXIT_OK;
      });
    },
  }),
];
