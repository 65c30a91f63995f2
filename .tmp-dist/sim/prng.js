/**
 * Seeded pseudo-random numbers for the simulator (never Math.random): xoshiro128** seeded
 * through splitmix32, so a run is reproducible from `--seed` alone.
 */
/** splitmix32 step: spreads a small seed over the whole 32-bit state space. */
function splitmix32(state) {
    const next = (state + 0x9e3779b9) | 0;
    let z = next;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
    z ^= z >>> 16;
    return [z >>> 0, next];
}
export class Prng {
    a;
    b;
    c;
    d;
    spareNormal;
    /**
     * @param seed any integer (the user's `--seed`)
     * @param stream independent stream id: arrivals and service times use different streams so
     *   changing one input does not shift the other's random numbers.
     */
    constructor(seed, stream = 0) {
        let s = (Math.trunc(seed) ^ Math.imul(stream + 1, 0x27d4eb2d)) | 0;
        const words = [];
        for (let i = 0; i < 4; i++) {
            const [v, next] = splitmix32(s);
            words.push(v);
            s = next;
        }
        this.a = words[0] ?? 1;
        this.b = words[1] ?? 2;
        this.c = words[2] ?? 3;
        this.d = words[3] ?? 4;
        if ((this.a | this.b | this.c | this.d) === 0)
            this.a = 1;
    }
    /** Next 32-bit unsigned integer (xoshiro128**). */
    nextUint32() {
        const result = Math.imul(rotl(Math.imul(this.b, 5), 7), 9) >>> 0;
        const t = this.b << 9;
        this.c ^= this.a;
        this.d ^= this.b;
        this.b ^= this.c;
        this.a ^= this.d;
        this.c ^= t;
        this.d = rotl(this.d, 11);
        return result;
    }
    /** Uniform in [0, 1) with 32 bits of resolution. */
    next() {
        return this.nextUint32() / 4294967296;
    }
    /** Standard normal (Box–Muller, both values used). */
    normal() {
        if (this.spareNormal !== undefined) {
            const v = this.spareNormal;
            this.spareNormal = undefined;
            return v;
        }
        let u = this.next();
        while (u <= 0)
            u = this.next();
        const v = this.next();
        const r = Math.sqrt(-2 * Math.log(u));
        this.spareNormal = r * Math.sin(2 * Math.PI * v);
        return r * Math.cos(2 * Math.PI * v);
    }
}
function rotl(x, k) {
    return (x << k) | (x >>> (32 - k));
}
/** Lognormal parameters (of the underlying normal) for a given mean and coefficient of variation. */
export function lognormalParams(mean, cv) {
    const sigma2 = Math.log(1 + cv * cv);
    return { mu: Math.log(mean) - sigma2 / 2, sigma: Math.sqrt(sigma2) };
}
//# sourceMappingURL=prng.js.map