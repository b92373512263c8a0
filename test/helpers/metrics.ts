/** Reading Prometheus' text format in tests. */

/** The value of one series, written exactly as rendered (`name{label="value",...}`), or undefined when it is absent. */
export function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((entry) => entry.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}
