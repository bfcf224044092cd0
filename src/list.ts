/** A node of a doubly linked list: the item itself carries the links, so a list costs nothing per item. */
export interface Linked<T> {
  prev: T | undefined
  next: T | undefined
}

/** A doubly linked list in insertion order: O(1) append, insert and removal anywhere. */
export interface List<T extends Linked<T>> {
  head: T | undefined
  tail: T | undefined
  size: number
}

export const push = <T extends Linked<T>>(list: List<T>, node: T): void => {
  node.prev = list.tail
  if (list.tail) list.tail.next = node
  else list.head = node
  list.tail = node
  list.size++
}

/** Inserts `node` before `ref`, which must be in the list. */
export const insertBefore = <T extends Linked<T>>(list: List<T>, node: T, ref: T): void => {
  node.next = ref
  node.prev = ref.prev
  if (ref.prev) ref.prev.next = node
  else list.head = node
  ref.prev = node
  list.size++
}

/** Removes `node`; false when it is not in the list. */
export const remove = <T extends Linked<T>>(list: List<T>, node: T): boolean => {
  if (node.prev) node.prev.next = node.next
  else if (list.head === node) list.head = node.next
  else return false
  if (node.next) node.next.prev = node.prev
  else list.tail = node.prev
  node.prev = node.next = undefined
  list.size--
  return true
}
