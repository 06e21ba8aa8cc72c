/**
 * The projector's point queries, shared by search and the custom projection: a class name (true
 * label; a unique prefix is enough), "predicted:NAME", "wrong", "correct", or "index:N" / "N".
 */

export interface QueryData {
  labels: ArrayLike<number>;
  predicted: ArrayLike<number>;
  count: number;
}

export interface QueryResult {
  indices: number[];
  /** What the query matched, in words (e.g. "true class Sneaker"). */
  description: string;
}

/** The class a name means: exact (any case) first, else the only class it starts. */
export function classByName(name: string, classNames: readonly string[]): number | undefined {
  const q = name.trim().toLowerCase();
  if (!q) return undefined;
  const exact = classNames.findIndex((c) => c.toLowerCase() === q);
  if (exact >= 0) return exact;
  const starts = classNames.flatMap((c, i) => (c.toLowerCase().startsWith(q) ? [i] : []));
  return starts.length === 1 ? starts[0] : undefined;
}

function where(data: QueryData, keep: (i: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < data.count; i++) if (keep(i)) out.push(i);
  return out;
}

/** Runs a query; throws an Error that says what is accepted when the text means nothing. */
export function runQuery(text: string, data: QueryData, classNames: readonly string[]): QueryResult {
  const q = text.trim().toLowerCase();
  const index = /^(?:index:|#)?\s*(\d+)$/.exec(q);
  if (index) {
    const i = Number(index[1]);
    if (i >= data.count) throw new Error(`there is no test image ${i} (0 to ${data.count - 1})`);
    return {indices: [i], description: `test image ${i}`};
  }
  if (q === "wrong" || q === "correct") {
    const wrong = q === "wrong";
    return {
      indices: where(data, (i) => (data.labels[i] !== data.predicted[i]) === wrong),
      description: wrong ? "wrongly classified images" : "correctly classified images"
    };
  }
  const predicted = /^predicted:\s*(.+)$/.exec(q);
  const name = predicted ? predicted[1] : q;
  const c = classByName(name, classNames);
  if (c === undefined) {
    throw new Error(`"${text.trim()}" is not a class name, "wrong", "correct", "predicted:NAME" or an index`);
  }
  return predicted
    ? {indices: where(data, (i) => data.predicted[i] === c), description: `predicted ${classNames[c]}`}
    : {indices: where(data, (i) => data.labels[i] === c), description: `true class ${classNames[c]}`};
}
