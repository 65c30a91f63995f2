/** FIFO ring buffer for time-windowed samples (O(1) push/shift): that grows by doubling up to `cap`; beyond it the oldest item is dropped. */
export class RingDeque {
    cap;
    items = new Array(16);
    head = 0;
    count = 0;
    constructor(cap) {
        this.cap = cap;
    }
    get size() {
        return this.count;
    }
    get capacity() {
        return this.items.length;
    }
    push(item) {
        if (this.count === this.cap)
            this.shift();
        if (this.count === this.items.length)
            this.grow();
        this.items[(this.head + this.count) % this.items.length] = item;
        this.count++;
    }
    shift() {
        if (this.count === 0)
            return undefined;
        const item = this.items[this.head];
        this.items[this.head] = undefined;
        this.head = (this.head + 1) % this.items.length;
        this.count--;
        return item;
    }
    at(i) {
        return i >= 0 && i < this.count ? this.items[(this.head + i) % this.items.length] : undefined;
    }
    first() {
        return this.at(0);
    }
    last() {
        return this.at(this.count - 1);
    }
    /** Replaces the newest item. */
    setLast(item) {
        if (this.count > 0)
            this.items[(this.head + this.count - 1) % this.items.length] = item;
    }
    *[Symbol.iterator]() {
        for (let i = 0; i < this.count; i++)
            yield this.items[(this.head + i) % this.items.length];
    }
    clear() {
        this.items = new Array(16);
        this.head = 0;
        this.count = 0;
    }
    grow() {
        const next = new Array(Math.min(this.items.length * 2, Math.max(this.cap, 16)));
        for (let i = 0; i < this.count; i++)
            next[i] = this.items[(this.head + i) % this.items.length];
        this.items = next;
        this.head = 0;
    }
}
//# sourceMappingURL=ring-deque.js.map