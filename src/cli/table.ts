/** Plain-text tables with word-wrapped cells, for reading rules in a terminal or a printout. */

/** A column: its heading and the most characters a line of it may hold. */
export interface Column {
  readonly heading: string;
  readonly width: number;
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    // A word longer than the column (a URL) is cut rather than allowed to break the layout.
    for (let rest = word; rest.length > 0;) {
      const candidate = line ? `${line} ${rest}` : rest;
      if (candidate.length <= width) {
        line = candidate;
        rest = '';
      } else if (line) {
        lines.push(line);
        line = '';
      } else {
        lines.push(rest.slice(0, width));
        rest = rest.slice(width);
      }
    }
  }
  if (line) lines.push(line);
  return lines.length > 0 ? lines : [''];
}

/** Renders rows under headings, each cell wrapped to its column's width. */
export function renderTable(columns: readonly Column[], rows: readonly (readonly string[])[]): string {
  const renderRow = (cells: readonly string[]): string[] => {
    const wrapped = columns.map((column, index) => wrap(cells[index] ?? '', column.width));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    const out: string[] = [];
    for (let lineIndex = 0; lineIndex < height; lineIndex += 1) {
      out.push(
        columns
          .map((column, index) => (wrapped[index]?.[lineIndex] ?? '').padEnd(column.width))
          .join('  ')
          .trimEnd(),
      );
    }
    return out;
  };
  const rule = columns.map((column) => '-'.repeat(column.width)).join('  ');
  return [...renderRow(columns.map((column) => column.heading)), rule, ...rows.flatMap(renderRow)].join('\n');
}
