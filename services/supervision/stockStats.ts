import type { StockFigures } from '../../core/contract/supervision';
import { reconcile, type BalanceLine, type OfficeStockLine } from '../../core/stock/balance';
import type { ServiceContext } from '../context';
import { issueFacts, sealedCountsBetween, stockRecords } from '../stock/store';

/** Units beyond these are counted, not listed: the chart has room for ten bars. */
export const TOP_STOCK_UNITS = 10;

type TypeFigures = StockFigures['byType'][number];
type UnitFigures = StockFigures['byUnit'][number];

const later = (a: string, b: string) => (a > b ? a : b);
const earlier = (a: string, b: string) => (a < b ? a : b);
const key = (...parts: (string | number)[]) => parts.join('\u0000');

/**
 * Blank stock for 统计 over `from`–`to` (dates, inclusive). There is no second reconciliation:
 * the stock page's one (core/stock/balance.ts, fed by services/stock/store.ts) is run for each
 * stock year twice, as the register stood before the period and at its end, and the period's
 * figures are the difference. So a unit's held at the end of the period is the statement's held
 * on that day, and held before + issued − sealed − spoiled = held after holds on every line.
 *
 * Stock movements count on the day their entry was written, certificates on the day they were
 * sealed; a stock year is the year the blanks were received or issued for (an issue in December
 * for next year is next year's stock), and a sealing counts against the stock of its own year.
 */
export function stockFigures(ctx: ServiceContext, from: string, to: string): StockFigures {
  const db = ctx.db;
  const end = `${to}\uffff`;
  // Stock records are few beside the seals, read through their kinds' partial indexes (migration 006).
  const receipts = stockRecords(db, 'stock-receipt').filter((r) => r.at < end);
  const issues = issueFacts(db).filter((i) => i.at < end);
  const spoiled = stockRecords(db, 'stock-spoiled').filter((s) => s.at < end);
  const before = <T extends { at: string }>(records: readonly T[]) => records.filter((r) => r.at < from);

  const years = new Set<number>();
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) years.add(year);
  for (const record of [...receipts, ...issues, ...spoiled]) if (record.at >= from) years.add(record.year);

  const types: TypeFigures[] = [];
  const units: UnitFigures[] = [];
  for (const year of [...years].sort((a, b) => a - b)) {
    // The year's sealings are read once, split at the period's start: before it, and in it.
    const yearStart = `${year}-`;
    const yearEnd = `${year + 1}-`;
    const sealedBefore = yearStart < from ? sealedCountsBetween(db, yearStart, earlier(yearEnd, from)) : [];
    const sealedIn = later(yearStart, from) < earlier(yearEnd, end) ? sealedCountsBetween(db, later(yearStart, from), earlier(yearEnd, end)) : [];
    const closing = reconcile(year, { receipts, issues, spoiled, sealed: [...sealedBefore, ...sealedIn], allIssues: issues });
    // The reconciliation counts sealings only of the types the office keeps stock of that year.
    // Before the period the same types must count, or a type first received within the period
    // would have all its earlier sealings of the year counted as the period's.
    const tracking = closing.office.map((o) => ({ certificateType: o.certificateType, year, count: 0, ranges: [] }));
    const opening = reconcile(year, { receipts: [...before(receipts), ...tracking], issues: before(issues), spoiled: before(spoiled), sealed: sealedBefore, allIssues: before(issues) });
    const { byType, byUnit } = difference(year, opening, closing);
    types.push(...byType);
    units.push(...byUnit);
  }
  const moving = units.filter((u) => u.issued + u.sealed + u.spoiled > 0 || u.heldAtStart !== 0 || u.heldAtEnd !== 0);
  moving.sort((a, b) => b.issued + b.sealed + b.spoiled - (a.issued + a.sealed + a.spoiled) || b.heldAtEnd - a.heldAtEnd || a.unit.localeCompare(b.unit, 'zh-CN'));
  return {
    byType: types.filter((t) => t.received + t.issued + t.sealed + t.spoiled > 0 || t.heldAtStart !== 0 || t.heldAtEnd !== 0 || t.onHandAtEnd !== 0),
    byUnit: moving.slice(0, TOP_STOCK_UNITS),
    unitCount: new Set(moving.map((u) => u.unit)).size,
  };
}

function difference(year: number, opening: { lines: BalanceLine[]; office: OfficeStockLine[] }, closing: { lines: BalanceLine[]; office: OfficeStockLine[] }): { byType: TypeFigures[]; byUnit: UnitFigures[] } {
  const openingLines = new Map(opening.lines.map((l) => [key(l.unit, l.certificateType), l]));
  const byUnit = closing.lines.map((l): UnitFigures => {
    const o = openingLines.get(key(l.unit, l.certificateType));
    return {
      unit: l.unit, certificateType: l.certificateType, year, heldAtStart: o?.held ?? 0,
      issued: l.issued - (o?.issued ?? 0), sealed: l.sealed - (o?.sealed ?? 0), spoiled: l.spoiled - (o?.spoiled ?? 0), heldAtEnd: l.held,
    };
  });
  const openingOffice = new Map(opening.office.map((o) => [o.certificateType, o]));
  // Every type with unit lines is tracked, so the office's lines name every type there is.
  const byType = closing.office.map((office): TypeFigures => {
    const ofType = byUnit.filter((u) => u.certificateType === office.certificateType);
    const sum = (field: 'heldAtStart' | 'issued' | 'sealed' | 'spoiled' | 'heldAtEnd') => ofType.reduce((total, u) => total + u[field], 0);
    return {
      certificateType: office.certificateType, year, received: office.received - (openingOffice.get(office.certificateType)?.received ?? 0),
      heldAtStart: sum('heldAtStart'), issued: sum('issued'), sealed: sum('sealed'), spoiled: sum('spoiled'), heldAtEnd: sum('heldAtEnd'), onHandAtEnd: office.onHand,
    };
  });
  return { byType, byUnit };
}

/** The figures as the .xlsx sheet and the report's table show them: each type, then its units. */
export function stockSheet(stock: StockFigures): [columns: [string, number][], rows: (string | number)[][]] {
  const columns: [string, number][] = [['证书类型', 30], ['年度', 8], ['用章单位', 30], ['期初单位持有', 12], ['入库', 8], ['发放', 8], ['签章', 8], ['退回废证', 10], ['期末单位持有', 12], ['期末库存', 10]];
  const rows = stock.byType.flatMap((t) => [
    [t.certificateType, t.year, '全部单位', t.heldAtStart, t.received, t.issued, t.sealed, t.spoiled, t.heldAtEnd, t.onHandAtEnd],
    ...stock.byUnit.filter((u) => u.certificateType === t.certificateType && u.year === t.year)
      .map((u) => [u.certificateType, u.year, u.unit, u.heldAtStart, '', u.issued, u.sealed, u.spoiled, u.heldAtEnd, '']),
  ]);
  return [columns, rows];
}
