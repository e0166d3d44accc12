import { FakeCarrier, json, type FakeReply, type SeenRequest } from '@ledger/carriers/test/fake-carrier';

type OrderStatus = 'pending' | 'success' | 'failure';

/**
 * A Telnyx v2 account as Telnyx documents it: number search, number orders
 * whose status (`pending`, `success`, `failure`) changes on command, the
 * account's phone numbers listed by `page[number]`/`page[size]` and filtered by
 * `filter[phone_number]` (digits only, containment), DELETE by id.
 */
export class TelnyxAccountFake {
  readonly available = new Set<string>();
  /** Numbers on the account: E.164 -> status (`active`, `purchase_pending`...). */
  readonly held = new Map<string, string>();
  readonly orders = new Map<string, { number: string; status: OrderStatus; checks: number }>();
  /** A pending order turns `status` when looked at the `after`-th time (Telnyx finishing it between two polls). */
  settleOnCheck: { after: number; status: OrderStatus } | null = null;
  /** Every new order starts with this status. */
  orderAnswer: OrderStatus = 'pending';
  /** Numbers whose DELETE Telnyx refuses. */
  readonly locked = new Set<string>();
  private nextOrder = 1;

  private constructor(readonly carrier: FakeCarrier) {}

  static async start(): Promise<TelnyxAccountFake> {
    const ref: { fake?: TelnyxAccountFake } = {};
    const carrier = await FakeCarrier.start((req) => ref.fake!.route(req));
    ref.fake = new TelnyxAccountFake(carrier);
    return ref.fake;
  }

  get url(): string {
    return this.carrier.url;
  }

  /** Settles an order the way Telnyx would, later. */
  settle(number: string, status: OrderStatus): void {
    for (const order of this.orders.values()) {
      if (order.number !== number) continue;
      order.status = status;
      if (status === 'success') this.held.set(number, 'active');
      if (status === 'failure') this.held.delete(number);
    }
  }

  private route(req: SeenRequest): FakeReply {
    if (req.method === 'GET' && req.path === '/v2/available_phone_numbers') return this.search(req);
    if (req.method === 'POST' && req.path === '/v2/number_orders') return this.order(req);
    const order = req.path.match(/^\/v2\/number_orders\/([^/]+)$/);
    if (req.method === 'GET' && order) return this.orders.has(order[1]) ? this.check(order[1]) : notFound();
    if (req.method === 'GET' && req.path === '/v2/phone_numbers') return this.list(req);
    const phone = req.path.match(/^\/v2\/phone_numbers\/([^/]+)$/);
    if (req.method === 'DELETE' && phone) return this.remove(decodeURIComponent(phone[1]));
    return notFound();
  }

  private search(req: SeenRequest): FakeReply {
    const ndc = req.query.get('filter[national_destination_code]') ?? '';
    const rest = req.query.get('filter[phone_number][starts_with]') ?? '';
    const data = [...this.available].filter((n) => n.startsWith(`+1${ndc}${rest}`)).map((phone_number) => ({
      record_type: 'available_phone_number', phone_number, best_effort: false, reservable: true,
      cost_information: { upfront_cost: '1.00', monthly_cost: '1.00', currency: 'USD' },
      region_information: [{ region_type: 'state', region_name: 'IL' }], features: [{ name: 'voice' }],
    }));
    return json({ data, meta: { total_results: data.length } });
  }

  private order(req: SeenRequest): FakeReply {
    const number = JSON.parse(req.body).phone_numbers?.[0]?.phone_number as string;
    if (!this.available.has(number)) return json({ errors: [{ code: '10007', title: 'Number not available' }] }, 422);
    const id = `ord-${this.nextOrder++}`;
    this.orders.set(id, { number, status: this.orderAnswer, checks: 0 });
    this.available.delete(number);
    this.held.set(number, this.orderAnswer === 'success' ? 'active' : 'purchase_pending');
    if (this.orderAnswer === 'failure') this.held.delete(number);
    return json({ data: this.orderView(id) });
  }

  private check(id: string): FakeReply {
    const order = this.orders.get(id)!;
    order.checks++;
    if (this.settleOnCheck && order.status === 'pending' && order.checks >= this.settleOnCheck.after) this.settle(order.number, this.settleOnCheck.status);
    return json({ data: this.orderView(id) });
  }

  private orderView(id: string) {
    const order = this.orders.get(id)!;
    return {
      id, record_type: 'number_order', status: order.status, phone_numbers_count: 1, requirements_met: true,
      phone_numbers: [{ id: `${id}-1`, record_type: 'number_order_phone_number', phone_number: order.number, status: order.status, requirements_met: true }],
    };
  }

  private list(req: SeenRequest): FakeReply {
    const filter = req.query.get('filter[phone_number]');
    const page = Number(req.query.get('page[number]') ?? 1);
    const size = Math.min(Number(req.query.get('page[size]') ?? 20), 250);
    // Telnyx: non-digits match nothing; digits match by containment.
    const all = [...this.held.entries()].filter(([n]) => filter === null || (/^\d+$/.test(filter) && n.includes(filter)));
    if (filter !== null) all.sort(([a], [b]) => b.length - a.length || a.localeCompare(b)); // longer containment matches first
    const data = all.slice((page - 1) * size, page * size).map(([phone_number, status]) => ({ id: idOf(phone_number), record_type: 'phone_number', phone_number, status }));
    return json({ data, meta: { page_number: page, page_size: size, total_results: all.length, total_pages: Math.max(1, Math.ceil(all.length / size)) } });
  }

  private remove(id: string): FakeReply {
    const number = [...this.held.keys()].find((n) => idOf(n) === id);
    if (!number) return notFound();
    if (this.locked.has(number)) return json({ errors: [{ code: '10015', title: 'Deletion lock enabled for this number' }] }, 422);
    this.held.delete(number);
    return json({ data: { id, record_type: 'phone_number', phone_number: number, status: 'deleted' } });
  }
}

const idOf = (e164: string): string => `pn-${e164.slice(1)}`;
const notFound = (): FakeReply => json({ errors: [{ code: '10005', title: 'Resource not found' }] }, 404);
