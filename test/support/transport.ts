import type { Transport } from '../../src/index.ts'
import type { TestCall, TestTransport } from '../../src/testing/calls.ts'
import { testTransport } from '../../src/testing/transport.ts'

/**
 * The testing kit's `TestCall` under the names the project's tests were written with: `respond`
 * is `answer`, `fail` is `drop`, and `resolveWith` resolves the call with anything at all.
 */
export interface Call extends Omit<TestCall, 'fail' | 'overlapping'> {
  readonly overlapping: readonly Call[]
  /** Resolves the call with a Response, or a status (plus optional body/headers). */
  respond(response?: Response | number, body?: BodyInit | null, headers?: HeadersInit): void
  /** Rejects the call, by default like a dropped connection. */
  fail(...error: [] | [unknown]): void
  /** Resolves with something that is not a Response. */
  resolveWith(value: unknown): void
}

export interface ControlledTransport
  extends Omit<TestTransport, 'calls' | 'live' | 'overlaps' | 'transport'> {
  transport: Transport
  calls: Call[]
  readonly live: Call[]
  readonly overlaps: [Call, Call][]
}

export interface ControlledOptions {
  /** Answer a call as soon as it starts. Return undefined to leave it for the test. */
  auto?: (call: Call) => Response | number | Error | undefined
  /** Keep the call running when its signal aborts, like a transport that ignores `signal`. */
  ignoreAbort?: boolean
}

/** The testing kit's transport, with the project's old call names and the `auto` option. */
export function controlledTransport(options: ControlledOptions = {}): ControlledTransport {
  const kit = testTransport({ ignoreAbort: options.ignoreAbort ?? false })
  // Stand-ins for values that are not a Response, swapped back on the way out.
  const raw = new WeakMap<Response, unknown>()
  const decorate = (c: TestCall): Call => {
    const call = c as unknown as Call
    const { answer, drop } = c
    return Object.assign(call, {
      respond(response: Response | number = 200, body?: BodyInit | null, headers?: HeadersInit) {
        answer(
          typeof response === 'number'
            ? { status: response, body: body ?? `${response}`, ...(headers && { headers }) }
            : response,
        )
      },
      fail: drop,
      resolveWith(value: unknown) {
        const stand = new Response()
        raw.set(stand, value)
        answer(stand)
      },
    })
  }
  const transport: Transport = (request, context) => {
    const pending = kit.transport(request, context)
    const call = decorate(kit.calls.at(-1)!)
    const reply = options.auto?.(call)
    if (reply instanceof Error) call.fail(reply)
    else if (reply !== undefined) call.respond(reply)
    return pending.then((r) => (raw.has(r) ? (raw.get(r) as Response) : r))
  }
  return Object.assign(Object.create(kit) as ControlledTransport, {
    transport,
  })
}
