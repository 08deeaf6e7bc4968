// Writes the corpus the oracle and fuzz tests use to a folder, to open it in Excel, WPS or
// LibreOffice by hand:  npx tsx tests/files/corpus/write.ts OUT_DIR
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { textCorpus } from './textCorpus';
import { xlsCorpus } from './xlsCorpus';
import { xlsxCorpus } from './xlsxCorpus';

const out = process.argv[2];
if (!out) {
  console.error('usage: npx tsx tests/files/corpus/write.ts OUT_DIR');
  process.exit(2);
}
mkdirSync(out, { recursive: true });
const all = [...xlsxCorpus(), ...xlsCorpus(), ...textCorpus()];
for (const file of all) writeFileSync(join(out, file.name), file.bytes);
writeFileSync(join(out, 'index.txt'), all.map((f) => `${f.name}\t${f.about}`).join('\n') + '\n');
console.log(`wrote ${all.length} files to ${out}`);
