import { Typography } from 'antd';
import { useEffect, useState } from 'react';
import type { BalanceView, Visit } from '../../../core/contract';
import { call } from '../api';

type BalanceLine = BalanceView['lines'][number];

/**
 * After sealing: how many blank certificates of this type the unit still holds this year, from the
 * same reconciliation as 证书库存 — nothing when the office has issued the unit none.
 */
export function BlanksHeld({ visit }: { visit: Visit }) {
  const [line, setLine] = useState<BalanceLine | null>(null);

  useEffect(() => {
    if (!visit.sealedAt) return;
    let cancelled = false;
    const year = Number(visit.sealedAt.slice(0, 4));
    // A hint beside the sealing, not part of it: a failed lookup leaves it out rather than alarm the counter.
    call('stock.balance', { year, unit: visit.unit, certificateType: visit.certificateType }).then(
      (balance) => !cancelled && setLine(balance.lines.find((l) => l.unit === visit.unit && l.certificateType === visit.certificateType) ?? null),
      () => undefined,
    );
    return () => {
      cancelled = true;
    };
  }, [visit.sealedAt, visit.unit, visit.certificateType]);

  if (!line) return null;
  return (
    <Typography.Paragraph data-testid="seal-blanks-held" style={{ marginTop: 8, marginBottom: 0 }}>
      <Typography.Text strong>空白证书：</Typography.Text>
      {`${line.unit}${line.year}年度尚持有 ${line.held} 张（领取 ${line.issued}，已签章 ${line.sealed}，废证退回 ${line.spoiled}）`}
      {line.flags.map((flag) => <Typography.Text key={flag.code} type="danger">{`；${flag.message}`}</Typography.Text>)}
    </Typography.Paragraph>
  );
}
