import { dispatch } from '../../services/dispatch';
import { clientOf, freshServices, SENIOR14_SETTINGS, upload } from '../support/services';

/**
 * An office on the counter's day (2026-11-24, a Tuesday) that sealed two visits from the shared
 * fixtures: 四川华西集团 with the clean senior roster (visit 2), and 成都市人社局 with the roster
 * of errors (visit 3) — its replacement of 51202501000017 sealed as 补发, its UNIT_MISMATCH rows
 * confirmed with a reason, its refused rows left for the 退回清单.
 */
export async function sealedOffice() {
  const services = freshServices();
  const call = clientOf((name, request) => dispatch(services, name, request));
  await call('settings.save', SENIOR14_SETTINGS);
  await call('reference.import', { kind: 'slips', ...upload('slips.csv') });
  await call('reference.import', { kind: 'signers', ...upload('signers.csv') });
  await call('reference.import', { kind: 'holidays', ...upload('holidays.csv') });
  await call('lists.import', upload('approved/senior-engineers-2025.xlsx'));
  const visit = (unit: string, slipNo: string, slipCount: number) =>
    call('visits.create', { unit, agentName: '李明', agentPhone: '13800000000', certificateType: '高级专业技术职务资格证书', slipNo, slipCount, slipSigner: '谢天涛' });

  // The Thursday before: 王娜蕾's certificate 51202501000017, which the roster of errors replaces.
  services.setNow(new Date('2026-11-19T14:00:00+08:00'));
  const original = await visit('成都市人力资源和社会保障局', 'QZ2026-0015', 1);
  await call('visits.importRoster', { visitId: original.id, fileName: '补办前.csv', dataBase64: Buffer.from('序号,证书编号,姓名,性别,身份证号码,工作单位,专业名称,资格名称,批准时间\n1,51202501000017,王娜蕾,女,510105197503116582,中铁八局集团有限公司,土木工程,高级工程师,2025-06-12\n').toString('base64') });
  await call('visits.seal', { visitId: original.id });

  services.setNow(new Date('2026-11-24T09:30:00+08:00'));
  const clean = await visit('四川华西集团有限公司', 'QZ2026-0006', 40);
  await call('visits.importRoster', { visitId: clean.id, ...upload('rosters/senior-clean.xlsx') });
  await call('visits.seal', { visitId: clean.id });

  services.setNow(new Date('2026-11-24T10:15:00+08:00'));
  const errors = await visit('成都市人力资源和社会保障局', 'QZ2026-0014', 24);
  await call('visits.importRoster', { visitId: errors.id, ...upload('rosters/senior-errors.xlsx') });
  const detail = await call('visits.setDocuments', { visitId: errors.id, documents: ['外语合格证复印件'] });
  const moved = detail.rows.filter((r) => r.findings.some((f) => f.code === 'UNIT_MISMATCH')).map((r) => r.line);
  await call('visits.acknowledge', { visitId: errors.id, lines: moved, reason: '人员已调动，有调令' });
  // The replacement came with no application recorded (issue 16): a warning the clerk confirms.
  const unapplied = detail.rows.filter((r) => r.findings.some((f) => f.code === 'REISSUE_NO_APPLICATION')).map((r) => r.line);
  await call('visits.acknowledge', { visitId: errors.id, lines: unapplied, reason: '原证书当场交回，补办申请由单位补交' });
  const sealed = await call('visits.seal', { visitId: errors.id });
  return { services, call, originalVisitId: original.id, cleanVisitId: clean.id, errorsVisitId: errors.id, sealed };
}

/** Later that morning 德阳市人社局 brings its worker-grade roster (sealed but for the four wrong certificate numbers). */
export async function sealWorkerVisit(office: Awaited<ReturnType<typeof sealedOffice>>) {
  const { call, services } = office;
  services.setNow(new Date('2026-11-24T11:00:00+08:00'));
  await call('lists.import', upload('approved/worker-grade-2025.xlsx'));
  const visit = await call('visits.create', { unit: '德阳市人力资源和社会保障局', agentName: '张强', agentPhone: '13900000000', certificateType: '工人技术等级资格证书', slipNo: 'QZ2026-0016', slipCount: 30, slipSigner: '谢天涛' });
  await call('visits.importRoster', { visitId: visit.id, ...upload('rosters/worker-grade.csv') });
  await call('visits.seal', { visitId: visit.id });
  return visit.id;
}
