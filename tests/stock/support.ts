import type { CallName, Request, Response } from '../../core/contract';
import { dispatch } from '../../services/dispatch';
import { freshServices, SENIOR14_SETTINGS, signInForTests, TEST_ADMIN, upload } from '../support/services';

/** The office's people, one per role, as the stock's calls are split between them. */
export const CLERK = { username: 'zhaoli', displayName: '赵丽', role: 'clerk' as const };
export const SUPERVISOR = { username: 'qianjun', displayName: '钱军', role: 'supervisor' as const };
export const ADMIN = { ...TEST_ADMIN, role: 'admin' as const };
type Person = typeof CLERK | typeof SUPERVISOR | typeof ADMIN;

export const SENIOR = '高级专业技术职务资格证书';
export const WORKER = '工人技术等级资格证书';
export const HUAXI = '四川华西集团有限公司';
export const DEYANG = '德阳市人力资源和社会保障局';
export const CHENGDU = '成都市人力资源和社会保障局';

/**
 * A workstation whose calls go through the contract's dispatch (access rules, validation, the
 * handlers, the answer's schema) as whoever is signed in, with a clock the test moves.
 */
export function stockOffice(start = '2026-01-05T09:00:00+08:00') {
  const services = freshServices(new Date(start));
  let person: Person = ADMIN;
  const as = (who: Person) => {
    person = who;
    signInForTests(services, who);
  };
  async function call<N extends CallName>(name: N, request: Request<N>): Promise<Response<N>> {
    const result = await dispatch(services, name, request);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as Response<N>;
  }
  return {
    services,
    db: services.ctx.db,
    call,
    as,
    get person() { return person; },
    at: (timestamp: string) => services.setNow(new Date(timestamp)),
    /** Calls as `who`, then signs the previous person back in. */
    async by<N extends CallName>(who: Person, name: N, request: Request<N>): Promise<Response<N>> {
      const before = person;
      as(who);
      try {
        return await call(name, request);
      } finally {
        as(before);
      }
    },
  };
}

export type StockOffice = ReturnType<typeof stockOffice>;

/** What the counter needs to seal senior and worker certificates from the fixtures. */
export async function prepareCounter(office: StockOffice): Promise<void> {
  await office.by(ADMIN, 'settings.save', SENIOR14_SETTINGS);
  await office.by(ADMIN, 'reference.import', { kind: 'signers', ...upload('signers.csv') });
  await office.by(ADMIN, 'reference.import', { kind: 'holidays', ...upload('holidays.csv') });
  await office.by(ADMIN, 'lists.import', upload('approved/senior-engineers-2025.xlsx'));
  await office.by(ADMIN, 'lists.import', upload('approved/worker-grade-2025.xlsx'));
}

/** A visit for `unit` with the fixture roster, sealed as the clerk; returns what sealing answered. */
export async function sealVisit(office: StockOffice, visit: { unit: string; certificateType: typeof SENIOR | typeof WORKER; slipNo: string; slipCount: number; roster: string }) {
  const created = await office.by(CLERK, 'visits.create', { unit: visit.unit, agentName: '周经办', agentPhone: '028-86123456', certificateType: visit.certificateType, slipNo: visit.slipNo, slipCount: visit.slipCount, slipSigner: '谢天涛' });
  const detail = await office.by(CLERK, 'visits.importRoster', { visitId: created.id, ...upload(visit.roster) });
  const sealed = await office.by(CLERK, 'visits.seal', { visitId: created.id });
  return { detail, sealed };
}

export function textFile(fileName: string, text: string): { fileName: string; dataBase64: string } {
  return { fileName, dataBase64: Buffer.from(text, 'utf8').toString('base64') };
}
