// Every driver runs page functions the same way: as the text of one expression that calls the
// function with its argument and resolves to the JSON of what it returned. JSON both ways makes
// the three engines agree on what comes back (undefined stays undefined, no engine-specific
// serialization of Dates or Maps).

/** An expression that calls the function `source` with `arg` and resolves to `{"v": result}`. */
export function pageExpression(source: string, arg: unknown): string {
  const json = arg === undefined ? 'undefined' : JSON.stringify(arg)
  return `(async () => JSON.stringify({ v: await (${source})(${json}) }))()`
}

/** The function's result from what `pageExpression` resolved to. */
export function pageResult(text: unknown): unknown {
  if (typeof text !== 'string') throw new Error(`page function returned ${String(text)}`)
  return (JSON.parse(text) as { v?: unknown }).v
}
