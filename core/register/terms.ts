/**
 * The register's vocabulary, apart from its hashing (which needs Node's crypto), so that the
 * contract and the renderer can name entry kinds and chain problems.
 */
/**
 * The seal-usage register proper (印章使用登记表): what the printed sheet and the register page list.
 * 签字 records that the agent signed on screen for the entries its record names (core/register/records.ts).
 */
export const SEAL_USAGE_KINDS = ['签章', '更正', '签字'] as const;
export type SealUsageKind = (typeof SEAL_USAGE_KINDS)[number];
/**
 * The office's stock of blank certificates and stamp slips (DOMAIN.md §10, §13), kept in the same
 * chain so that it is signed, batched and checked like the seals: each movement is an entry of its
 * own kind, its details the ledger records bound into it (core/register/records.ts).
 */
export const STOCK_ENTRY_KINDS = ['空白证书入库', '空白证书发放', '废证退回', '凭条请领', '逾期请领准入', '凭条编号'] as const;
export type StockEntryKind = (typeof STOCK_ENTRY_KINDS)[number];
export const isStockEntryKind = (kind: string): kind is StockEntryKind => (STOCK_ENTRY_KINDS as readonly string[]).includes(kind);
/**
 * The supervisor's spot checks (抽查): the draw (its seed and parameters) and each result are
 * entries of their own, so a draw cannot be quietly repeated until the sample looks good.
 */
export const SPOTCHECK_ENTRY_KINDS = ['抽查抽样', '抽查结果'] as const;

/**
 * Applications and decisions (DOMAIN.md §11, §12, §14), kept in the same chain so that they are
 * signed, batched and checked like the seals; their details are the records bound into them.
 */
export const APPLICATION_ENTRY_KINDS = ['补换申请', '补换报送', '补换退回', '确认申请', '确认决定', '取消资格'] as const;
export type ApplicationEntryKind = (typeof APPLICATION_ENTRY_KINDS)[number];
export const ENTRY_KINDS = [...SEAL_USAGE_KINDS, ...STOCK_ENTRY_KINDS, ...APPLICATION_ENTRY_KINDS, ...SPOTCHECK_ENTRY_KINDS] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * How a register can be found changed: an entry changed, missing, out of order, inserted, its link
 * broken, a signature (batch, tip, witness) that does not verify, or the ledger records of an entry
 * no longer matching it.
 */
export const CHAIN_PROBLEMS = ['changed', 'missing', 'out-of-order', 'inserted', 'broken-link', 'unsigned', 'ledger'] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];
