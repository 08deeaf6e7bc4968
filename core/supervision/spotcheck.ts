import { createHash } from 'node:crypto';
import type { SpotcheckDrawRecord, SpotcheckSampling } from '../register/records';

/** What a draw record samples: one written before `sampling` existed samples certificates. */
export const samplingOf = (record: Pick<SpotcheckDrawRecord, 'sampling'>): SpotcheckSampling => record.sampling ?? 'certificates';

/**
 * The spot check's draw, reproducible by anyone from the seed alone: the random numbers are
 * SHA-256 of `seed:counter` (counter from 0), read as big-endian 32-bit words, and the sample is a
 * partial Fisher–Yates shuffle of the population's positions. No library's PRNG, whose sequence
 * could change between versions, stands between the register entry and the sample it names.
 */
export function drawSample(populationSize: number, sampleSize: number, seed: string): number[] {
  const take = Math.min(Math.max(0, sampleSize), populationSize);
  const next = seededWords(seed);
  const positions = new Map<number, number>();
  const at = (i: number) => positions.get(i) ?? i;
  const drawn: number[] = [];
  for (let i = 0; i < take; i++) {
    const j = i + uniformBelow(populationSize - i, next);
    const chosen = at(j);
    positions.set(j, at(i));
    positions.set(i, chosen);
    drawn.push(chosen);
  }
  return drawn;
}

/** How many to draw: the size asked for, or the percentage rounded up (a non-empty population never gives 0). */
export function sampleSizeFor(populationSize: number, request: { size?: number | null; percent?: number | null }): number {
  if (request.size != null) return Math.min(request.size, populationSize);
  const percent = request.percent ?? 0;
  return Math.min(populationSize, Math.ceil((populationSize * percent) / 100));
}

function seededWords(seed: string): () => number {
  let counter = 0;
  let block = Buffer.alloc(0);
  let offset = 0;
  return () => {
    if (offset >= block.length) {
      block = createHash('sha256').update(`${seed}:${counter++}`, 'utf8').digest();
      offset = 0;
    }
    const word = block.readUInt32BE(offset);
    offset += 4;
    return word;
  };
}

/** An integer in [0, bound) without modulo bias: words above the last whole multiple of bound are thrown back. */
function uniformBelow(bound: number, next: () => number): number {
  const limit = Math.floor(0x1_0000_0000 / bound) * bound;
  for (;;) {
    const word = next();
    if (word < limit) return word % bound;
  }
}
