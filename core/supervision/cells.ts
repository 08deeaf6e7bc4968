/**
 * A text cell that a spreadsheet would read as a formula (= + - @, or a leading tab, CR or NUL)
 * gets a leading apostrophe, so an exported roster cannot carry a formula into the office's Excel.
 */
export function neutralisedCell(value: string | number): string | number {
  if (typeof value !== 'string') return value;
  return /^[=+\-@\t\r\0]/.test(value) ? `'${value}` : value;
}
