/**
 * "Chat status" with Vue (render functions, no single-file components): each message shows
 * "sending", "sent", or "not sent — Retry · Give up", read from the queue's snapshot. Run it with
 * `npx tsx examples/chat-status/vue.ts`.
 */
import './dom.ts'
import type { FetchQueue } from 'fetch-queue'
import { useQueueSnapshot } from 'fetch-queue/vue'
import { createApp, defineComponent, h, type PropType, ref } from 'vue'
import { itemOf, type Message, postMessage, statusOf } from './chat.ts'
import { runScenario } from './scenario.ts'

export const MessageLine = defineComponent({
  props: {
    queue: { type: Object as PropType<FetchQueue>, required: true },
    message: { type: Object as PropType<Message>, required: true },
  },
  setup(props) {
    // A readonly shallowRef that changes only when this message's item does.
    const item = useQueueSnapshot(props.queue, (s) => itemOf(s, props.message.id))
    return () => {
      const status = statusOf(props.message, item.value)
      const id = item.value?.id ?? ''
      return h('li', [
        `${props.message.text} — ${status}`,
        ...(status === 'not sent'
          ? [
              ' — ',
              h('button', { type: 'button', onClick: () => props.queue.retry(id) }, 'Retry'),
              ' · ',
              h('button', { type: 'button', onClick: () => props.queue.discard(id) }, 'Give up'),
            ]
          : []),
      ])
    }
  },
})

export const Chat = defineComponent({
  props: {
    queue: { type: Object as PropType<FetchQueue>, required: true },
    api: { type: String, required: true },
  },
  setup(props) {
    const messages = ref<Message[]>([])
    const text = ref('')

    function send(event: Event) {
      event.preventDefault()
      const message: Message = { id: crypto.randomUUID(), text: text.value, sent: false }
      text.value = ''
      messages.value.push(message)
      postMessage(props.queue, props.api, message).then(
        () => {
          const m = messages.value.find((m) => m.id === message.id)
          if (m) m.sent = true
        },
        // Only "Give up" rejects it (with onFailure: 'pause' a refused message waits for the user).
        () => {
          messages.value = messages.value.filter((m) => m.id !== message.id)
        },
      )
    }

    return () =>
      h('form', { onSubmit: send }, [
        h(
          'ul',
          messages.value.map((message) =>
            h(MessageLine, { key: message.id, queue: props.queue, message }),
          ),
        ),
        h('input', {
          value: text.value,
          onInput: (e: Event) => {
            text.value = (e.target as HTMLInputElement).value
          },
        }),
        h('button', { type: 'submit' }, 'Send'),
      ])
  },
})

await runScenario('Vue', (root, queue, api) => {
  const app = createApp(Chat, { queue, api })
  app.mount(root)
  return () => app.unmount()
})
