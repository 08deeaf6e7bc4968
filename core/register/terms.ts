/**
 * The register's vocabulary, apart from its hashing (which needs Node's crypto), so that the
 * contract and the renderer can name entry kinds and chain problems.
 */
/** 签字 records that the agent signed on screen for the entries its record names (core/register/records.ts). */
export const ENTRY_KINDS = ['签章', '更正', '签字'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

/**
 * How a register can be found changed: an entry changed, missing, out of order, inserted, its link
 * broken, a signature (batch, tip, witness) that does not verify, or the ledger records of an entry
 * no longer matching it.
 */
export const CHAIN_PROBLEMS = ['changed', 'missing', 'out-of-order', 'inserted', 'broken-link', 'unsigned', 'ledger'] as const;
export type ChainProblem = (typeof CHAIN_PROBLEMS)[number];
