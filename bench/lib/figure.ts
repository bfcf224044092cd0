import type { Table } from './format.ts'

/** One of the performance budgets, as the summary shows it. */
export interface Goal {
  name: string
  target: string
  measured: string
  ok: boolean | undefined
}

export interface FigureResult {
  tables: Table[]
  goals: Goal[]
  /** Rows for the README summary: a metric and its value per contender ('fetch-queue', 'p-queue', 'query-core'). */
  summary?: { metric: string; values: Record<string, string> }[]
  /** A Markdown block for the README summary. */
  readme?: string
  /** Extra files to write under docs/, by name. */
  files?: Record<string, string>
}
