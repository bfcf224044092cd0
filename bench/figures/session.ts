import type { FigureResult } from '../lib/figure.ts'
import { goal, int, type Table } from '../lib/format.ts'
import type { Library } from '../lib/library.ts'
import { SESSION } from '../sim/network.ts'
import { contenders, runSession } from '../sim/session.ts'
import { timelineSvg } from '../sim/timeline-svg.ts'

const LIMIT = 2 * SESSION.latency + (2 * SESSION.latency + SESSION.statsMs)
const ms = (v: number | undefined) => (v === undefined ? 'never' : `${int(v)} ms`)
const yes = (v: boolean) => (v ? 'yes' : 'no')

/** Figures 6 and 7: the editing session and the reconnect, on a simulated clock. */
export async function sessionFigures(lib: Library): Promise<FigureResult> {
  const list = contenders(lib)
  const session = []
  for (const c of list) session.push(await runSession(c, SESSION))
  const outage = { from: 1500, to: 6500 }
  const reconnect = []
  for (const c of list) reconnect.push(await runSession(c, { ...SESSION, outage }))

  const ours = session.find((r) => r.name === 'fetch-queue')!
  const oursUp = reconnect.find((r) => r.name === 'fetch-queue')!
  const fig6: Table = {
    title: '6. The editing session (simulated clock)',
    note: `${SESSION.edits} edits ${SESSION.gap} ms apart; each saves the stops (POST) and then reads the statistics (GET). Latency ${SESSION.latency} ms each way, statistics take ${SESSION.statsMs} ms on the server. Physical limit for freshness: one write round trip + one statistics round trip = ${LIMIT} ms.`,
    head: [
      'contender',
      'requests sent',
      'reads overlapping a write',
      'wrong stats shown',
      'final server state correct',
      'freshness',
      'vs limit',
      'goal',
    ],
    rows: session.map((r) => {
      const isUs = r === ours
      const fresh = r.freshAt === undefined ? undefined : r.freshAt - r.lastEdit
      return [
        r.name,
        int(r.sent),
        int(r.overlapping),
        int(r.tornShown),
        yes(r.finalCorrect),
        ms(fresh),
        fresh === undefined ? '–' : `${(fresh / LIMIT).toFixed(2)}×`,
        isUs ? goal(r.overlapping === 0 && r.finalCorrect && fresh !== undefined) : '',
      ]
    }),
    after: [
      'Freshness is the time from the last edit until the statistics panel shows the statistics of the final state (and nothing replaces them afterwards). A read overlaps a write when their times on the wire overlap; an aborted read counts until it is aborted. "Wrong stats shown" counts statistics that were computed while a write landed on the server and were then put on screen.',
      '',
      "Both calls address one resource, `/projects/1/route`: POST saves the stops, GET answers with their statistics. fetch-queue sends one save at a time; a newer save replaces the one still waiting, and the statistics read, queued behind the newest save, goes out only once the edits stop: hence few requests, none overlapping, and freshness one queued save away from the limit. The xhrQueue model runs everything through one serial lane, keys dedupe by URL alone (so a queued GET replaces the queued POST, whose caller then receives the GET's response) and does not retry. Plain fetch beats the physical limit only because, with a fixed latency, the POST always reaches the server just before the GET sent with it; a real network gives no such promise, and its other 199 statistics were computed while later saves landed.",
      '',
      '![Requests over time in the editing session](./session-timeline.svg)',
    ].join('\n'),
  }
  const up = outage.to
  const fig7: Table = {
    title: '7. Reconnect (simulated clock)',
    note: `The same session; the connection drops from ${outage.from / 1000} s to ${outage.to / 1000} s (requests on the wire are cut, new ones fail at once). Times are from the \`online\` event.`,
    head: [
      'contender',
      'failed while offline',
      'final server state correct',
      'first request after online',
      'quiet after online',
      'panel fresh after online',
      'goal',
    ],
    rows: reconnect.map((r) => [
      r.name,
      int(r.offlineFailures + r.requests.filter((q) => q.outcome === 'lost').length),
      yes(r.finalCorrect),
      ms(r.firstAfterUp === undefined ? undefined : r.firstAfterUp - up),
      ms(r.quietAt === undefined ? undefined : r.quietAt - up),
      ms(r.freshAt === undefined ? undefined : r.freshAt - up),
      r === oursUp ? goal(r.finalCorrect && r.firstAfterUp !== undefined) : '',
    ]),
    after:
      'fetch-queue replays the write the outage cut (with the same idempotency key), then the newest save, which replaced every save made offline, then reads the statistics. The others lose what failed: nothing retries it. fetch-queue is given the simulated network as its online source, as a browser gives it `online`/`offline`; the others only see their requests fail. The server applies a replayed write with an idempotency key it has already seen only once.',
  }
  const readme = [
    '| editing session, 200 edits in 4 s | requests sent | reads overlapping a write | final save on the server | stats fresh after the last edit |',
    '| --- | ---: | ---: | --- | ---: |',
    ...session.map((r) => {
      const f = r.freshAt === undefined ? undefined : r.freshAt - r.lastEdit
      return `| ${r.name} | ${int(r.sent)} | ${int(r.overlapping)} | ${r.finalCorrect ? 'yes' : '**lost**'} | ${ms(f)} |`
    }),
  ].join('\n')
  const fresh = ours.freshAt === undefined ? undefined : ours.freshAt - ours.lastEdit
  return {
    tables: [fig6, fig7],
    readme,
    goals: [
      {
        name: 'Session: no read overlaps a write',
        target: '0',
        measured: int(ours.overlapping),
        ok: ours.overlapping === 0,
      },
      {
        name: 'Session: final server state and freshness',
        target: `correct; limit ${LIMIT} ms`,
        measured: `${yes(ours.finalCorrect)}; ${ms(fresh)}`,
        ok: ours.finalCorrect && fresh !== undefined,
      },
      {
        name: 'Reconnect: nothing lost, replay on `online`',
        target: 'correct',
        measured: `${yes(oursUp.finalCorrect)}; first after ${ms(oursUp.firstAfterUp === undefined ? undefined : oursUp.firstAfterUp - up)}`,
        ok: oursUp.finalCorrect && oursUp.firstAfterUp !== undefined,
      },
    ],
    files: {
      'session-timeline.svg': timelineSvg(
        session,
        'The editing session: requests over time',
        SESSION.gap,
      ),
    },
  }
}
