import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The seed texts live in ../shared/seeds beside the project (never copied into it). */
export const SEEDS_DIR = fileURLToPath(new URL('../../../shared/seeds/', import.meta.url));

export const SEED_FILES = {
  res7327: '000_fd654a3d16c36792.txt',
  draft2019: '001_3dc1922842ad4263.txt',
  draft2023: '002_67f8880aa14b2c22.txt',
  gge2013: '003_b170c5734a4698e9.txt',
  oewg2022: '004_18fdef1ad10e089c.txt',
} as const;

export function seed(name: keyof typeof SEED_FILES): Buffer {
  return readFileSync(`${SEEDS_DIR}${SEED_FILES[name]}`);
}

export function seedNames(): string[] {
  return readdirSync(SEEDS_DIR).filter((f) => f.endsWith('.txt')).sort();
}
