/** A parameterised WHERE clause built piece by piece. */
export class Where {
  readonly clauses: string[] = [];
  readonly params: unknown[] = [];

  add(sql: (p: (value: unknown) => string) => string): this {
    this.clauses.push(sql((value) => {
      this.params.push(value);
      return `$${this.params.length}`;
    }));
    return this;
  }

  toString(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}
