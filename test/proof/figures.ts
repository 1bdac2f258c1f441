// Prints a proof suite's figures as a plain aligned table (vitest shows console output).

export type FigureRow = Record<string, string | number | boolean>;

export function formatTable(title: string, rows: readonly FigureRow[]): string {
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cell = (row: FigureRow, column: string) => String(row[column] ?? '');
  const widths = columns.map((column) =>
    Math.max(column.length, ...rows.map((row) => cell(row, column).length)),
  );
  const line = (values: string[]) =>
    values
      .map((value, index) => value.padEnd(widths[index] ?? 0))
      .join('  ')
      .trimEnd();
  return [
    title,
    line(columns),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map((row) => line(columns.map((column) => cell(row, column)))),
  ].join('\n');
}

export function printFigures(title: string, rows: readonly FigureRow[]): void {
  console.log(formatTable(title, rows));
}
