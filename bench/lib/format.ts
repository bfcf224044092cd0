import type { Sample } from './stats.ts'

/** One figure: a title, a note, and rows of already formatted cells. */
export interface Table {
  title: string
  note?: string
  head: string[]
  rows: string[][]
  /** Markdown-only text after the table: caveats, method. */
  after?: string
}

export const num = (value: number, digits = 2): string =>
  Number.isFinite(value)
    ? value.toLocaleString('en-US', {
        minimumFractionDigits: digits,
        maximumFractionDigits: digits,
      })
    : '–'

export const int = (value: number): string =>
  Number.isFinite(value) ? Math.round(value).toLocaleString('en-US') : '–'

/** "3.21 ±4%": the median and the spread (max - min) relative to it. */
export const withSpread = (s: Sample, digits = 2): string =>
  `${num(s.median, digits)} ±${Math.round((s.spread * 100) / 2)}%`

export const ratio = (value: number): string => (Number.isFinite(value) ? `${num(value, 2)}×` : '–')

export const goal = (ok: boolean | undefined): string => (ok === undefined ? '–' : ok ? '✓' : '✗')

const width = (s: string) => [...s].length

export function toText(t: Table): string {
  const all = [t.head, ...t.rows]
  const widths = t.head.map((_, i) => Math.max(...all.map((r) => width(r[i] ?? ''))))
  const line = (r: string[]) =>
    r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')
  const out = [
    t.title,
    ...(t.note ? [t.note] : []),
    line(t.head),
    widths.map((w) => '─'.repeat(w)).join('  '),
  ]
  for (const r of t.rows) out.push(line(r))
  return out.join('\n')
}

const NUMERIC = /^([\d–+-]|not run$|never$)/
const MARK = /^[✓✗]/

/** Numbers to the right, marks in the middle, words to the left. */
function align(cells: string[], index: number): string {
  const filled = cells.filter(Boolean)
  if (index === 0 || !filled.length) return ' --- '
  if (filled.every((c) => MARK.test(c))) return ' :---: '
  return filled.every((c) => NUMERIC.test(c)) ? ' ---: ' : ' --- '
}

const escapeCell = (s: string) => s.replaceAll('|', '\\|')

export function toMarkdown(t: Table, level = 2): string {
  const out = [`${'#'.repeat(level)} ${t.title}`, '']
  if (t.note) out.push(t.note, '')
  out.push(`| ${t.head.map(escapeCell).join(' | ')} |`)
  out.push(
    `|${t.head
      .map((_, i) =>
        align(
          t.rows.map((r) => r[i] ?? ''),
          i,
        ),
      )
      .join('|')}|`,
  )
  for (const r of t.rows) out.push(`| ${r.map(escapeCell).join(' | ')} |`)
  if (t.after) out.push('', t.after)
  return out.join('\n')
}
