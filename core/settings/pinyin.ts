import { pinyin } from 'pinyin-pro';

/**
 * The pinyin initials of a unit's name, lower case (成都市人力资源和社会保障局 → cdsrlzyhshbzj).
 *
 * pinyin-pro rather than a collation table: measured on the units and the fixture lists' 319
 * characters, Intl.Collator boundaries got every plain character right but no polyphone in context
 * (重庆 zq, 长沙 zs, 厦门 sm, 银行 yx), which pinyin-pro reads as words (cq, cs, xm, yh). Its
 * dictionary takes a moment to load, so it is loaded only when units are imported.
 */
export function pinyinInitials(text: string): string {
  return pinyin(text, { pattern: 'first', toneType: 'none', type: 'array', nonZh: 'consecutive' }).join('').toLowerCase().replace(/\s/g, '');
}
