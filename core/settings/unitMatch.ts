/**
 * Which units a clerk's typing in 用章单位 means: the name's characters, or its pinyin initials as
 * people abbreviate (cdrs → 成都市人力资源和社会保障局: 成都 … 人 … 社, letters in order, gaps allowed).
 * Pure and small, so the screen filters as the clerk types without asking the backend.
 */
export interface MatchableUnit {
  name: string;
  initials: string;
}

/** Lower is better; null: no match. */
export function unitMatchScore(unit: MatchableUnit, typed: string): number | null {
  const text = typed.trim().replace(/\s/g, '');
  if (text === '') return 0;
  const at = unit.name.indexOf(text);
  if (at >= 0) return at;
  if (!/^[a-z]+$/i.test(text)) return null;
  const letters = text.toLowerCase();
  if (unit.initials.startsWith(letters)) return 100;
  // Letters in order with gaps: the abbreviation 人社 for 人力资源和社会保障 skips the middle.
  let from = 0;
  let gaps = 0;
  for (const letter of letters) {
    const found = unit.initials.indexOf(letter, from);
    if (found < 0) return null;
    if (found !== from) gaps += found - from;
    from = found + 1;
  }
  return 200 + gaps + (unit.initials.startsWith(letters[0]!) ? 0 : 100);
}

export function matchUnits<T extends MatchableUnit>(units: readonly T[], typed: string, limit = 10): T[] {
  return units
    .map((unit) => ({ unit, score: unitMatchScore(unit, typed) }))
    .filter((m): m is { unit: T; score: number } => m.score !== null)
    .sort((a, b) => a.score - b.score || a.unit.name.localeCompare(b.unit.name, 'zh-CN'))
    .slice(0, limit)
    .map((m) => m.unit);
}
