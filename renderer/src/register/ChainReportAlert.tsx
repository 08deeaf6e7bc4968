import { Alert } from 'antd';
import type { Response } from '../../../core/contract';
import { PROBLEM_LABEL } from './labels';

type ChainReport = Response<'register.verify'>;

/** The result of 校验登记簿: all intact in green, or where the chain first breaks, large and in red. */
export function ChainReportAlert({ report, onClose }: { report: ChainReport; onClose: () => void }) {
  return (
    <div data-testid="register-verify-result" style={{ marginBottom: 12 }}>
      {report.intact ? (
        <Alert
          type="success"
          showIcon
          closable={{ onClose }}
          title={`全部 ${report.count} 条登记完整`}
          description="每条登记的内容、前后衔接和工作站签名均核对无误。"
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
    </div>
  );
}
