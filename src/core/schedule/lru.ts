// A small least-recently-used map. Used for the few caches the schedule code shares between all
// schedules (croner instances by pattern, time-zone data by zone and year); each is bounded so memory
// stays flat however many schedules exist.

export class Lru<K, V> {
  private readonly map = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    const value = this.map.get(key);
    if (value !== undefined) {
      // Map keeps insertion order: re-inserting marks the entry as most recently used.
      this.map.delete(key);
      this.map.set(key, value);
    }
    return value;
  }

  set(key: K, value: V): void {
    this.map.delete(key);
    this.map.set(key, value);
    if (this.map.size > this.capacity) this.map.delete(this.map.keys().next().value as K);
  }

  getOrCreate(key: K, create: (key: K) => V): V {
    let value = this.get(key);
    if (value === undefined) { value = create(key); this.set(key, value); }
    return value;
  }

  clear(): void {
    this.map.clear();
  }
}
