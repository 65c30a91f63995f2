/** FIFO ring buffer for time-windowed samples (O(1) push/shift): that grows by doubling up to `cap`; beyond it the oldest item is dropped. */
export class RingDeque<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(16);
  private head = 0;
  private count = 0;

  constructor(private readonly cap: number) {}

  get size(): number {
    return this.count;
  }

  get capacity(): number {
    return this.items.length;
  }

  push(item: T): void {
    if (this.count === this.cap) this.shift();
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count++;
  }

  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count--;
    return item;
  }

  at(i: number): T | undefined {
    return i >= 0 && i < this.count ? this.items[(this.head + i) % this.items.length] : undefined;
  }

  first(): T | undefined {
    return this.at(0);
  }

  last(): T | undefined {
    return this.at(this.count - 1);
  }

  /** Replaces the newest item. */
  setLast(item: T): void {
    if (this.count > 0) this.items[(this.head + this.count - 1) % this.items.length] = item;
  }

  *[Symbol.iterator](): IterableIterator<T> {
    for (let i = 0; i < this.count; i++) yield this.items[(this.head + i) % this.items.length] as T;
  }

  clear(): void {
    this.items = new Array<T | undefined>(16);
    this.head = 0;
    this.count = 0;
  }

  private grow(): void {
    const next = new Array<T | undefined>(Math.min(this.items.length * 2, Math.max(this.cap, 16)));
    for (let i = 0; i < this.count; i++) next[i] = this.items[(this.head + i) % this.items.length];
    this.items = next;
    this.head = 0;
  }
}
