/** A node of a doubly linked list: the item itself carries the links, so a list costs nothing per item. */
export interface Linked<T> {
  _prev: T | undefined
  _next: T | undefined
}

/** A doubly linked list in insertion order: O(1) append, insert and removal anywhere. */
export interface List<T extends Linked<T>> {
  _head: T | undefined
  _tail: T | undefined
  size: number
}

export const push = <T extends Linked<T>>(list: List<T>, node: T): void => {
  node._prev = list._tail
  if (list._tail) list._tail._next = node
  else list._head = node
  list._tail = node
  list.size++
}

/** Inserts `node` before `ref`, which must be in the list. */
export const insertBefore = <T extends Linked<T>>(list: List<T>, node: T, ref: T): void => {
  node._next = ref
  node._prev = ref._prev
  if (ref._prev) ref._prev._next = node
  else list._head = node
  ref._prev = node
  list.size++
}

/** Removes `node`; false when it is not in the list. */
export const remove = <T extends Linked<T>>(list: List<T>, node: T): boolean => {
  if (node._prev) node._prev._next = node._next
  else if (list._head === node) list._head = node._next
  else return false
  if (node._next) node._next._prev = node._prev
  else list._tail = node._prev
  node._prev = node._next = undefined
  list.size--
  return true
}
