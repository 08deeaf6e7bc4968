import type { FindingCode } from '../verify/findings';

/**
 * What the unit's staff should do about each finding before bringing a refused certificate back,
 * in their words: the 退回清单 and its .xlsx hand these to whoever corrects the roster file.
 */
export const RETURN_ADVICE: Record<FindingCode, string> = {
  ID_FORMAT: '按身份证原件重新填写 18 位身份证号码（末位可为 X）',
  ID_CHECKSUM: '身份证号码有误，请按身份证原件逐位核对后改正',
  ID_BIRTHDATE: '身份证号码中的出生日期不对，请按身份证原件核对后改正',
  ID_MANGLED: '把身份证号码一列设为“文本”格式后重新输入完整号码（不要让表格软件转成数字）',
  GENDER_MISMATCH: '按身份证改正性别',
  QUAL_REVOKED: '此人的该项资格已被取消，不能签章；请从名册中删除，如对取消决定有异议，请向作出决定的部门提出',
  REISSUE_NO_APPLICATION: '补办（换发）的证书须先在窗口登记补办（换发）申请；请补交申请材料，或由窗口经办人核实后说明理由确认',
  NOT_APPROVED: '核对此人是否在批准名单内；如在，请改正身份证号码；如不在，请从名册中删除',
  NAME_MISMATCH: '按批准名单（或身份证）改正姓名',
  QUAL_MISMATCH: '按批准文件改正资格名称',
  MAJOR_MISMATCH: '按批准文件改正专业名称',
  DOC_MISMATCH: '按批准文件改正批准文号',
  DATE_MISMATCH: '按批准文件改正批准时间',
  UNIT_MISMATCH: '核实工作单位；如已调动，请附说明',
  CERTNO_FORMAT: '按本类证书的编号规则改正证书编号，并核对证书上印的编号',
  CERTNO_DUP_ROSTER: '名册中证书编号重复，请核对每本证书上的编号后改正',
  PERSON_DUP_ROSTER: '同一人同一资格只能填写一行，请删除重复的行',
  ALREADY_SEALED: '此人此资格的证书已签章过，不能重复办理；如为补办，请在备注中注明原证书编号',
  CERTNO_USED: '此证书编号已签章给他人，请核对证书上的编号',
  REISSUE_ORIGINAL_UNKNOWN: '补办所写的原证书编号本窗口没有签章记录，请核对原证书编号',
  REISSUE_ORIGINAL_VOIDED: '原证书已因此前的补办作废，请核对原证书编号',
  LANG_CERT_REQUIRED: '带职称外语合格证复印件来办理',
  OFF_COUNTER_DAY: '请在高级证书办证日（每周二、三、四，节假日除外）来办理',
};
