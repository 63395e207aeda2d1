/**
 * Coalesces calls made in the same turn of the event loop into one call with all their items
 * (one SQL statement for many jobs instead of one each). At low load a batch has one item and
 * behaves like a direct call; at high load it saves most round trips to Postgres, which on a small
 * machine cost more than the statements themselves. A failed batch fails each of its callers.
 */
export class Batcher<I, O> {
  private pending: { item: I; resolve: (o: O) => void; reject: (e: unknown) => void }[] = [];
  private scheduled = false;

  constructor(
    private readonly run: (items: I[]) => Promise<O[]>,
    private readonly max = 100,
  ) {}

  push(item: I): Promise<O> {
    return new Promise<O>((resolve, reject) => {
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.max) this.flush();
      else this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    const batch = this.pending.splice(0, this.max);
    if (this.pending.length) this.schedule();
    if (!batch.length) return;
    let out: Promise<O[]>;
    try {
      out = this.run(batch.map((b) => b.item));
    } catch (err) {
      out = Promise.reject(err);
    }
    out.then(
      (results) => batch.forEach((b, i) => b.resolve(results[i])),
      (err) => batch.forEach((b) => b.reject(err)),
    );
  }
}
