import { Card, Table, Tag, Typography } from 'antd';
import type { TableColumnsType } from 'antd';
import { CERTIFICATE_TYPES } from '../../../core/contract';
import type { CertificateType, Response } from '../../../core/contract';

type Settings = Response<'settings.get'>;
type Seal = Settings['seals'][number];
type CertNoRule = Settings['certNoRules'][string];

const SEAL_COLUMNS: TableColumnsType<Seal> = [
  { title: '印章', key: 'name', width: 240, render: (_, seal) => `${seal.name}（${seal.kind}）` },
  { title: '适用证书', dataIndex: 'appliesTo', render: (types: string[]) => types.join('、') },
  { title: '用印文件', dataIndex: 'documentKinds', width: 110, render: (kinds: string[]) => kinds.join('、') },
  { title: '需凭条', dataIndex: 'requiresSlip', width: 80, align: 'center', render: (required: boolean) => (required ? <Tag color="blue">需要</Tag> : '—') },
  { title: '启用期间', key: 'valid', width: 200, render: (_, seal) => `${seal.validFrom} 至 ${seal.validTo ?? '今'}` },
];

interface RuleRow {
  certificateType: CertificateType;
  rule: CertNoRule | undefined;
}

const RULE_COLUMNS: TableColumnsType<RuleRow> = [
  { title: '证书类型', dataIndex: 'certificateType', width: 240 },
  { title: '证书编号规则', key: 'rule', render: (_, row) => <RuleText rule={row.rule} /> },
];

/** Read-only: seals and numbering rules change only through a settings file, so every workstation has the same ones. */
export function SealRulesCard({ settings }: { settings: Settings }) {
  const ruleRows: RuleRow[] = CERTIFICATE_TYPES.map((certificateType) => ({ certificateType, rule: settings.certNoRules[certificateType] }));
  return (
    <Card title="印章与证书编号规则" extra={<span style={{ color: '#888' }}>通过设置文件修改</span>}>
      <div data-testid="settings-seals">
        <Table<Seal> rowKey="id" size="small" bordered pagination={false} columns={SEAL_COLUMNS} dataSource={settings.seals} />
      </div>
      <div data-testid="settings-certno-rules" style={{ marginTop: 16 }}>
        <Table<RuleRow> rowKey="certificateType" size="small" bordered pagination={false} columns={RULE_COLUMNS} dataSource={ruleRows} />
      </div>
    </Card>
  );
}

function RuleText({ rule }: { rule: CertNoRule | undefined }) {
  if (!rule) return <Typography.Text type="secondary">不检查证书编号</Typography.Text>;
  if (rule.kind === 'sichuanWorker11') return <>四川工人技术等级证书 11 位：等级字母（J/G/Z/C，须与级别一致）+ 2 位年份 + 22 + 2 位发证机构代码 + 4 位顺序号</>;
  return (
    <>
      {rule.description || '按正则表达式检查'}
      <Typography.Text code className="digits" style={{ marginLeft: 8 }}>
        {rule.regex}
      </Typography.Text>
    </>
  );
}
