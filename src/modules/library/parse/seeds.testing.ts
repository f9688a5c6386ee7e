// The five seed texts, read where they live (../shared/seeds/ from the project root), for tests.
import { readFileSync } from 'node:fs';
import type { ParsedDocument, ParsedParagraph } from './types.ts';

const SEEDS = new URL('../../../../../shared/seeds/', import.meta.url);

export const SEED = {
  resolution73_27: '000_fd654a3d16c36792.txt',
  draft2019: '001_3dc1922842ad4263.txt',
  draft2023: '002_67f8880aa14b2c22.txt',
  report68_98: '003_b170c5734a4698e9.txt',
  report77_275: '004_18fdef1ad10e089c.txt',
} as const;

export function readSeed(name: string): string {
  return readFileSync(new URL(name, SEEDS), 'utf8');
}

export function byEId(doc: ParsedDocument, eId: string): ParsedParagraph {
  const p = doc.paragraphs.find((x) => x.eId === eId);
  if (!p) throw new Error(`no paragraph ${eId}; have ${doc.paragraphs.map((x) => x.eId).join(', ')}`);
  return p;
}

export function childrenOf(doc: ParsedDocument, eId: string): ParsedParagraph[] {
  return doc.paragraphs.filter((p) => p.parent === eId);
}

export const nums = (ps: readonly ParsedParagraph[]) => ps.map((p) => p.num);

export const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));
