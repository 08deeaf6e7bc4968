import type { TDocumentDefinitions } from 'pdfmake/interfaces';
import { daySummarySheet } from '../../core/print/daySummary';
import type { DayPrintData, LedgerCertificate, PrintEntry } from '../../core/print/inputs';
import { PRINT_FONT } from '../../core/print/layout';
import { entriesDigestOf, seqRangesLabel, sheetDigestOf, signProofWithSeed } from '../../core/print/proof';
import { registerSheet } from '../../core/print/registerSheet';
import { cellText, sheetCanonical, type PrintedSheet } from '../../core/print/sheet';
import { registerEntryCanonical } from '../../core/register/entries';
import { generateEd25519KeyPair } from '../../core/register/signing';
import { renderPdf, sheetPdf } from '../../services/print/pdf';
import { qrPngDataUrl } from '../../services/print/qr';
import { PDF_ENTRIES, sampleEntry } from './data';
import { MAX_RSS_MB, timeRuns, type Figure } from './measure';

/**
 * Printing: the register sheet of 1,000 entries, and the 当日汇总 of a 1,000-entry day — each the
 * whole path from the register's entries to the PDF (the sheet, its digests, the signed proof, the
 * QR, the layout), beside pdfmake rendering plain tables of the same cells in the same font.
 */
const OFFICE = '四川省人力资源和社会保障厅';
const DATE = '2026-11-24';

function dayOf(entryCount: number): { data: DayPrintData; canonicals: Buffer[] } {
  const entries: PrintEntry[] = [];
  const canonicals: Buffer[] = [];
  const certificates: LedgerCertificate[] = [];
  let prevHash = '';
  for (let seq = 1; seq <= entryCount; seq++) {
    const entry = { ...sampleEntry(seq, prevHash), at: `${DATE}T${String(8 + Math.floor(seq / 120)).padStart(2, '0')}:${String(seq % 60).padStart(2, '0')}:00+08:00` };
    prevHash = String(seq);
    canonicals.push(Buffer.from(registerEntryCanonical(entry), 'utf8'));
    const { prevHash: _p, attachmentsDigest: _a, sealId: _s, ...printed } = entry;
    entries.push(printed);
    // One certificate record per entry's count on the first entry of a visit: what a sealing writes.
    if (seq % 2 === 1) {
      for (let n = 0; n < Math.min(entry.count, 5); n++) {
        certificates.push({ kind: 'certificate', certNo: `5120250${String(seq * 10 + n).padStart(7, '0')}`, idNumber: '510104199001011234', name: '张三', qualification: '高级工程师', approvalDoc: '川职改〔2025〕12号', unit: entry.unit, visitId: entry.visitId, sealedAt: entry.at, reissue: n === 4, replacesCertNo: n === 4 ? '51202501000001' : null, entrySeq: seq });
      }
    }
  }
  const visits = [...new Map(entries.map((e) => [e.visitId, e])).values()].map((e) => ({
    id: e.visitId, unit: e.unit, agentName: e.agentName, agentPhone: e.agentPhone, certificateType: '高级专业技术职务资格证书', slipNo: e.slipNo, slipCount: e.count, slipSigner: e.approver,
    clerk: e.clerk, purpose: e.purpose, createdAt: e.at, sealedAt: e.at, documentsSeen: [], refused: e.visitId % 3,
  }));
  return { data: { officeName: OFFICE, date: DATE, entries, certificates, signatures: [], visits, batches: [{ batchNo: 1, firstSeq: 1, lastSeq: entryCount, entryCount, createdAt: `${DATE}T18:00:00+08:00` }] }, canonicals };
}

const KEY = generateEd25519KeyPair().privateKey;

async function printed(sheet: PrintedSheet, canonicals: Buffer[], seqs: number[]): Promise<Buffer> {
  const proof = signProofWithSeed({ workstationId: 'WS-0123456789AB', form: sheet.form, scope: sheet.scope, seqs, entriesDigest: entriesDigestOf(canonicals), sheetDigest: sheetDigestOf(sheetCanonical(sheet)) }, KEY);
  return sheetPdf({ sheet, qrPng: await qrPngDataUrl(proof.text), images: {}, printedAt: '2026-11-24 18:05', createdAt: new Date('2026-11-24T18:05:00+08:00') });
}

/** The sheet's tables as plain pdfmake tables: the same cells, widths, page and font, nothing else. */
function plainTables(sheet: PrintedSheet): TDocumentDefinitions {
  return {
    pageSize: 'A4',
    pageOrientation: sheet.orientation,
    pageMargins: [24, 90, 24, 34],
    defaultStyle: { font: PRINT_FONT, fontSize: 8.5, lineHeight: 0.95 },
    content: sheet.parts.flatMap((part) => (part.kind === 'table' ? [{ table: { headerRows: 1, widths: part.columns.map((c) => c.width), body: [part.columns.map((c) => c.title), ...part.rows.map((r) => r.cells.map(cellText))] } }] : [])),
  };
}

const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g)?.length ?? 0;

function printFigure(id: string, title: string, build: (data: DayPrintData) => PrintedSheet): Figure {
  return {
    id,
    title,
    baselineTitle: 'pdfmake rendering plain tables of the same cells with the same font',
    runs: 6,
    rounds: 2,
    warmup: 1,
    target: { maxRatio: 1.2, maxRssMb: MAX_RSS_MB },
    needs: [],
    async measure(side, runs, warmup) {
      const { data, canonicals } = dayOf(PDF_ENTRIES);
      const seqs = data.entries.map((e) => e.seq);
      const baseline = side === 'baseline' ? plainTables(build(data)) : null;
      let pdf: Buffer = Buffer.alloc(0);
      // The first run also loads pdfmake and the fonts; it is the warm-up.
      const samplesMs = await timeRuns(runs, Math.max(warmup, 1), () => null, async () => {
        pdf = baseline ? await renderPdf(baseline) : await printed(build(data), canonicals, seqs);
      });
      return { samplesMs, detail: { pages: pageCount(pdf), kb: Math.round(pdf.length / 1024) } };
    },
  };
}

const caption = (data: DayPrintData) => `工作站 WS-0123456789AB，${seqRangesLabel(data.entries.map((e) => e.seq))}`;

export const PRINT_FIGURES: readonly Figure[] = [
  printFigure('pdf', `register sheet PDF for ${PDF_ENTRIES.toLocaleString('en')} entries`, (data) =>
    registerSheet({ officeName: OFFICE, scope: { date: DATE }, subtitle: '2026年11月24日', entries: data.entries, signatures: [], slipCounts: new Map(data.visits.map((v) => [v.id, v.slipCount])), proofCaption: caption(data) })),
  printFigure('day-summary', `day summary PDF of a ${PDF_ENTRIES.toLocaleString('en')}-entry day`, (data) => daySummarySheet(data, '2026年11月24日', caption(data))),
];
