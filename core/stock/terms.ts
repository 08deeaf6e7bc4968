/**
 * The words of the office's stock (DOMAIN.md §10, §13), apart from its rules, so that the contract
 * and the register's records can name them.
 */

/** The grades of the Sichuan 2012 申领计划表 and 发放单 (附件1, 附件2), in the forms' order. */
export const WORKER_GRADES = ['初级', '中级', '高级', '技师'] as const;
export type WorkerGrade = (typeof WORKER_GRADES)[number];

/**
 * What an issue of blanks is counted against: a 申领计划表 (Sichuan 2012, worker grades), a
 * 登记表's rows plus 5% spares (Chongqing 2018), or the spoiled certificates a unit returned once
 * its spares ran out (both notices).
 */
export const ISSUE_BASES = ['plan', 'roster', 'exchange'] as const;
export type IssueBasis = (typeof ISSUE_BASES)[number];
export const ISSUE_BASIS_LABEL: Record<IssueBasis, string> = { plan: '按申领计划表', roster: '按登记表人数加备用', exchange: '凭废证换领' };

/** Chongqing 2018: "同时超发5%作为错制备用证书". */
export const SPARE_PERCENT = 5;

/**
 * Sichuan 2015: requests "每年2月1日前"报送. The issue text reads it as "a request after
 * 1 February is late", so a request that arrives on 1 February is still on time.
 */
export const REQUEST_DEADLINE_MONTH_DAY = '02-01';

/** The slips' numbers as the fixtures and the counter know them: QZ2026-0001. */
export const DEFAULT_SLIP_PATTERN = 'QZ{年}-{0000}';

/** Why a line of the reconciliation needs a look. */
export const BALANCE_FLAGS = ['sealed-more-than-issued', 'ranges-overlap'] as const;
export type BalanceFlag = (typeof BALANCE_FLAGS)[number];
