import { Alert } from 'antd';
import type { Response } from '../../../core/contract';
import { formatDateTime } from '../common/format';
import { PROBLEM_LABEL } from './labels';

type ChainReport = Response<'register.verify'>;
type Refusals = Response<'register.refusals'>;

/**
 * The result of 校验登记簿: all intact in green, or where the chain first breaks, large and in red;
 * and, when there were any, the writes the app refused because the register had been changed.
 */
export function ChainReportAlert({ report, refusals, onClose }: { report: ChainReport; refusals: Refusals; onClose: () => void }) {
  return (
    <div data-testid="register-verify-result" style={{ marginBottom: 12 }}>
      {report.intact ? (
        <Alert
          type="success"
          showIcon
          closable={{ onClose }}
          title={`全部 ${report.count} 条登记完整`}
          description="每条登记的内容、前后衔接、证书台账和工作站签名均核对无误。"
        />
      ) : (
        <Alert
          className="chain-break"
          type="error"
          showIcon
          title={
            <>
              登记簿在<span data-testid="register-break-seq">第 {report.firstBreak.seq} 号</span>处不完整：
              <span data-testid="register-break-problem">{PROBLEM_LABEL[report.firstBreak.problem]}</span>
            </>
          }
          description={
            <>
              <div data-testid="register-break-message" style={{ fontSize: 15 }}>
                {report.firstBreak.message}
              </div>
              <div style={{ marginTop: 4 }}>签章窗口本身从不修改或删除登记：记录是在程序之外被改动的。请立即报告审核人和管理员，保留本机数据文件，以便查明原因。</div>
            </>
          }
        />
      )}
      {refusals.length > 0 && (
        <Alert
          style={{ marginTop: 8 }}
          type="warning"
          showIcon
          data-testid="register-refusals"
          title={`本机曾拒绝在被改动的登记簿上写入（最近 ${refusals.length} 次）`}
          description={
            <ul style={{ margin: 0, paddingLeft: 18 }}>
              {refusals.map((r) => (
                <li key={`${r.at}-${r.action}-${r.message}`}>{formatDateTime(r.at)} 拒绝{r.action}{r.account ? `（${r.account}）` : ''}：{r.message}</li>
              ))}
            </ul>
          }
        />
      )}
    </div>
  );
}
