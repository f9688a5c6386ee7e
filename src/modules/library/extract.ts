import { extractText, getDocumentProxy } from 'unpdf';
import { CadreError } from '../../errors.ts';

export interface ExtractedText {
  text: string;
  mediaType: 'text/plain' | 'application/pdf';
}

const PDF_MAGIC = Buffer.from('%PDF-');

/**
 * The text of an uploaded file: a PDF's text layer (pages joined by form feeds), or UTF-8 text.
 * Refuses empty, binary, undecodable and image-only files with a reason the user can act on.
 */
export async function extractDocumentText(bytes: Buffer): Promise<ExtractedText> {
  if (bytes.length === 0) throw new CadreError(400, 'library.emptyFile');
  if (bytes.subarray(0, 5).equals(PDF_MAGIC)) {
    let pages: string[];
    try {
      const pdf = await getDocumentProxy(new Uint8Array(bytes));
      pages = (await extractText(pdf, { mergePages: false })).text;
    } catch {
      throw new CadreError(400, 'library.unreadablePdf');
    }
    const text = pages.join('\n\f\n');
    if (text.replace(/\s+/g, '').length === 0) throw new CadreError(400, 'library.scannedPdf');
    return { text: tidy(text), mediaType: 'application/pdf' };
  }
  if (bytes.includes(0)) throw new CadreError(400, 'library.binaryFile');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new CadreError(400, 'library.notUtf8');
  }
  if (text.trim().length === 0) throw new CadreError(400, 'library.emptyFile');
  return { text: tidy(text), mediaType: 'text/plain' };
}

/** One form for the same text however it arrived: NFC, Unix line ends, no BOM. */
function tidy(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').normalize('NFC');
}
