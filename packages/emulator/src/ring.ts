/**
 * Records in arrival order, each with a sequence number, dropped from the old end. A listing cursor can
 * be a sequence number, so a page is read in O(page) from any point, newest first, however many records
 * there are. Hand-written because it is a plain array with a moving start: no deque package offers
 * positions that stay valid as the front is dropped.
 */
export class Ring<T> {
  /** `items[i]` holds seq `firstSeq + i`; dropped slots are `undefined` until compaction. */
  private items: Array<T | undefined> = [];
  private head = 0;
  private firstSeq = 0;

  /** The sequence number the next record gets. */
  get nextSeq(): number {
    return this.firstSeq + this.items.length;
  }

  /** The sequence number of the oldest slot still held (dropped or not). */
  get oldestSeq(): number {
    return this.firstSeq + this.head;
  }

  push(item: T): number {
    this.items.push(item);
    return this.nextSeq - 1;
  }

  at(seq: number): T | undefined {
    return seq >= this.oldestSeq && seq < this.nextSeq ? this.items[seq - this.firstSeq] : undefined;
  }

  /** Forgets one record (its slot stays, empty). */
  drop(seq: number): void {
    if (seq >= this.oldestSeq && seq < this.nextSeq) {
      this.items[seq - this.firstSeq] = undefined;
    }
  }

  /** Removes and returns the oldest record still held. */
  shift(): T | undefined {
    while (this.head < this.items.length) {
      const item = this.items[this.head];
      this.items[this.head] = undefined;
      this.head++;
      if (item !== undefined) {
        this.compact();
        return item;
      }
    }
    this.compact();
    return undefined;
  }

  /** Newest first, starting at `fromSeq` (inclusive; default: the newest). */
  *newestFirst(fromSeq = this.nextSeq - 1): Generator<T> {
    for (let seq = Math.min(fromSeq, this.nextSeq - 1); seq >= this.oldestSeq; seq--) {
      const item = this.items[seq - this.firstSeq];
      if (item !== undefined) {
        yield item;
      }
    }
  }

  /** Empties the ring; sequence numbers keep growing, so old cursors find nothing. */
  clear(): void {
    this.firstSeq = this.nextSeq;
    this.items = [];
    this.head = 0;
  }

  private compact(): void {
    // Once the dropped prefix is large, copy the rest down so the array does not grow without bound.
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.firstSeq += this.head;
      this.head = 0;
    }
  }
}
