import type { Papers } from '../../../core/contract';
import { downloadBase64 } from '../common/download';

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The supervisor's papers as downloads: each a PDF and an .xlsx the backend made. */
export const downloadPdf = (papers: Papers) => downloadBase64(papers.pdfFileName, papers.pdfBase64, 'application/pdf');
export const downloadXlsx = (fileName: string, base64: string) => downloadBase64(fileName, base64, XLSX_TYPE);
