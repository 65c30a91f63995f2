/**
 * Binary min-heap of timed simulator events in typed arrays: no allocation per event.
 * Ties on time are broken by insertion order, so the event order is fully deterministic.
 */
export class EventHeap {
    times;
    seqs;
    payloads;
    count = 0;
    nextSeq = 0;
    constructor(capacity = 1024) {
        this.times = new Float64Array(capacity);
        this.seqs = new Float64Array(capacity);
        this.payloads = new Int32Array(capacity);
    }
    get size() {
        return this.count;
    }
    /** Time of the earliest event, or +Infinity when empty. */
    peekTime() {
        return this.count > 0 ? (this.times[0] ?? Infinity) : Infinity;
    }
    peekPayload() {
        return this.payloads[0] ?? -1;
    }
    push(time, payload) {
        if (this.count === this.times.length)
            this.grow();
        let i = this.count++;
        const seq = this.nextSeq++;
        // Sift up with a hole instead of swaps.
        while (i > 0) {
            const parent = (i - 1) >> 1;
            const pt = this.times[parent] ?? 0;
            if (pt < time || (pt === time && (this.seqs[parent] ?? 0) < seq))
                break;
            this.times[i] = pt;
            this.seqs[i] = this.seqs[parent] ?? 0;
            this.payloads[i] = this.payloads[parent] ?? 0;
            i = parent;
        }
        this.times[i] = time;
        this.seqs[i] = seq;
        this.payloads[i] = payload;
    }
    /** Removes the earliest event and returns its payload (-1 when empty). */
    pop() {
        if (this.count === 0)
            return -1;
        const top = this.payloads[0] ?? -1;
        const last = --this.count;
        if (last > 0) {
            const time = this.times[last] ?? 0;
            const seq = this.seqs[last] ?? 0;
            const payload = this.payloads[last] ?? 0;
            let i = 0;
            for (;;) {
                const l = 2 * i + 1;
                if (l >= last)
                    break;
                const r = l + 1;
                let c = l;
                if (r < last) {
                    const lt = this.times[l] ?? 0;
                    const rt = this.times[r] ?? 0;
                    if (rt < lt || (rt === lt && (this.seqs[r] ?? 0) < (this.seqs[l] ?? 0)))
                        c = r;
                }
                const ct = this.times[c] ?? 0;
                if (ct > time || (ct === time && (this.seqs[c] ?? 0) > seq))
                    break;
                this.times[i] = ct;
                this.seqs[i] = this.seqs[c] ?? 0;
                this.payloads[i] = this.payloads[c] ?? 0;
                i = c;
            }
            this.times[i] = time;
            this.seqs[i] = seq;
            this.payloads[i] = payload;
        }
        return top;
    }
    grow() {
        const cap = this.times.length * 2;
        const t = new Float64Array(cap);
        t.set(this.times);
        const s = new Float64Array(cap);
        s.set(this.seqs);
        const p = new Int32Array(cap);
        p.set(this.payloads);
        this.times = t;
        this.seqs = s;
        this.payloads = p;
    }
}
//# sourceMappingURL=event-heap.js.map