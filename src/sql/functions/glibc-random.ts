// The generator behind PostgreSQL 11's random()/setseed() on Linux: glibc's
// random(3) with its default 31-word additive feedback state. Reproducing it
// makes setseed(x) followed by random() give PostgreSQL 11's numbers.

const DEG = 31;
const SEP = 3;

export class GlibcRandom {
  private readonly r = new Int32Array(DEG);
  private front = SEP;
  private rear = 0;

  constructor(seed: number) {
    this.seed(seed);
  }

  /** srandom(seed); the seed is taken as a 32-bit integer. */
  seed(seed: number): void {
    const r = this.r;
    let word = seed | 0;
    if (word === 0) word = 1;
    r[0] = word;
    for (let i = 1; i < DEG; i++) {
      // 16807 * word mod (2^31 - 1) without overflowing 32 bits (Schrage's method)
      const hi = Math.trunc(word / 127773);
      const lo = word % 127773;
      word = 16807 * lo - 2836 * hi;
      if (word < 0) word += 2147483647;
      r[i] = word;
    }
    this.front = SEP;
    this.rear = 0;
    for (let i = 0; i < DEG * 10; i++) this.next();
  }

  /** random(): 0 .. 2^31-1 */
  next(): number {
    const r = this.r;
    const v = (r[this.front]! + r[this.rear]!) | 0;
    r[this.front] = v;
    this.front = (this.front + 1) % DEG;
    this.rear = (this.rear + 1) % DEG;
    return v >>> 1;
  }
}
