import { describe, expect, it } from 'vitest';
import { canonicalJson, type JsonValue } from '../../core/register/canonicalJson';
import { GENESIS_HASH, registerEntryCanonical, type RegisterEntry } from '../../core/register/entries';
import { NO_ATTACHMENTS_DIGEST } from '../../core/register/records';

const entry: RegisterEntry = {
  seq: 7, at: '2026-11-24T09:31:05+08:00', kind: '签章', sealId: 'senior-steel', sealName: '高级职务资格证书专用章', sealKind: '钢印',
  documentKind: '证书', count: 12, unit: '成都市人力资源和社会保障局', agentName: '李明', agentPhone: '13800000000', slipNo: 'QZ2026-0001',
  purpose: '高级专业技术职务资格证书签章（川职改〔2025〕99号）', clerk: '王芳', clerkAccount: 'wangfang', approver: '陈红阳', signMethod: '纸质登记表签字', remarks: '',
  visitId: 3, correctsSeq: null, attachmentsDigest: NO_ATTACHMENTS_DIGEST, prevHash: GENESIS_HASH,
};

/**
 * The register hash is taken over canonical JSON. The fast path writes the keys in a fixed order;
 * these pin it to the general RFC 8785 writer, so a field added to RegisterEntry but not to the
 * fast path, or put in the wrong place, fails here rather than breaking every stored hash.
 */
describe('the canonical text of a register entry', () => {
  it('is the RFC 8785 canonical JSON of the entry', () => {
    expect(registerEntryCanonical(entry)).toBe(canonicalJson(entry as unknown as JsonValue));
  });

  it('stays canonical for text that needs escaping, -0 and large numbers', () => {
    const awkward = { ...entry, unit: 'a"b\\c\n\t\u0001\u007f\u2028😀\ud800', purpose: '€/</script>', count: -0, visitId: 2 ** 53 - 1, seq: 1e21 };
    expect(registerEntryCanonical(awkward)).toBe(canonicalJson(awkward as unknown as JsonValue));
  });

  it('covers every field of the entry, in sorted order', () => {
    const keys = Object.keys(JSON.parse(registerEntryCanonical(entry)) as object);
    expect(keys).toEqual(Object.keys(entry).sort());
  });

  it('takes the general path for values the app never writes, as read from an edited file', () => {
    for (const odd of [{ ...entry, count: Number.NaN }, { ...entry, unit: null }, { ...entry, seq: '7' }, { ...entry, remarks: undefined }]) {
      const general = () => canonicalJson(odd as unknown as JsonValue);
      let expected: string | Error;
      try { expected = general(); } catch (error) { expected = error as Error; }
      if (expected instanceof Error) expect(() => registerEntryCanonical(odd as unknown as RegisterEntry)).toThrow(expected.message);
      else expect(registerEntryCanonical(odd as unknown as RegisterEntry)).toBe(expected);
    }
  });
});
