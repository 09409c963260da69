/** The samples of one metric from an app's /metrics, as [labels, value] pairs (labels as written). */
export async function metricSamples(appUrl: string, name: string): Promise<[string, number][]> {
  const text = await (await fetch(`${appUrl}/metrics`)).text();
  const samples: [string, number][] = [];
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(\\{[^}]*\\})? (\\S+)$`).exec(line);
    if (match) samples.push([match[1] ?? '', Number(match[2])]);
  }
  return samples;
}

/** The sum of a metric's samples whose labels contain every `label="value"` given. */
export async function metricSum(
  appUrl: string,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return (await metricSamples(appUrl, name))
    .filter(([l]) => wanted.every((w) => l.includes(w)))
    .reduce((sum, [, value]) => sum + value, 0);
}
