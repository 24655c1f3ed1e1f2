/**
 * The clickstream event model and a generator of one day's events.
 *
 * A day is a fixed number of events. Sessions start at times drawn from an hourly traffic curve and
 * each walks a shopping funnel (landing → search/browse → product views → cart → checkout → purchase).
 * Sessions overlap, so their events are interleaved through a min-heap keyed by each session's next
 * timestamp: the day comes out in time order while only the sessions active at that moment are in
 * memory.
 */
import {
  CAMPAIGN_LANDINGS,
  DEVICES,
  GEOS,
  CART_URL,
  CATEGORY_WEIGHTS,
  CHECKOUT_URL,
  CONFIRMATION_URL,
  COUPON_CODES,
  DEVICES_BY_TYPE,
  DEVICE_TYPE_WEIGHTS,
  EXTERNAL_REFERRERS,
  GEO_WEIGHTS,
  HOME_URL,
  HOURLY_TRAFFIC,
  PRODUCTS,
  PRODUCTS_BY_CATEGORY,
  PRODUCT_POPULARITY,
  PRODUCT_URLS,
  SALE_URL,
  SEARCH_TERMS,
  categoryUrl,
  type Category,
  type Device,
  type DeviceType,
  type Geo,
  type Product,
} from "./catalog.js";
import { Rng, WeightedTable, hashString, mix32 } from "./random.js";

export const EVENT_TYPES = [
  "page_view",
  "product_view",
  "search",
  "add_to_cart",
  "remove_from_cart",
  "checkout_start",
  "purchase",
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface PageInfo {
  url: string;
  /** External referrer (or null, direct) on a session's first page; the previous shop page afterwards. */
  referrer: string | null;
}

/**
 * One line of the clickstream. Key order is part of the contract (consumers and tests compare raw
 * lines), so events are always built in this order and optional keys are omitted, never null.
 */
export interface ClickEvent {
  event_id: string;
  event_type: EventType;
  timestamp: string;
  user_id: string;
  session_id: string;
  product?: Product;
  quantity?: number;
  page: PageInfo;
  device: Device;
  geo: Geo;
  search_query?: string;
  coupon_code?: string;
  order_id?: string;
}

/** Which optional keys each event type carries; coupon_code is further limited to sessions with a coupon. */
export const EVENT_FIELDS: Readonly<
  Record<EventType, { product: boolean; quantity: boolean; search_query: boolean; coupon_code: boolean; order_id: boolean }>
> = {
  page_view: { product: false, quantity: false, search_query: false, coupon_code: false, order_id: false },
  product_view: { product: true, quantity: false, search_query: false, coupon_code: false, order_id: false },
  search: { product: false, quantity: false, search_query: true, coupon_code: false, order_id: false },
  add_to_cart: { product: true, quantity: true, search_query: false, coupon_code: false, order_id: false },
  remove_from_cart: { product: true, quantity: true, search_query: false, coupon_code: false, order_id: false },
  checkout_start: { product: false, quantity: false, search_query: false, coupon_code: true, order_id: false },
  purchase: { product: true, quantity: true, search_query: false, coupon_code: true, order_id: true },
};

export interface DayOptions {
  /** Run seed; numbers and their decimal strings give the same data. */
  seed: string | number;
  /** UTC day, YYYY-MM-DD. The day's data depends only on (seed, date, events), not on the other days generated. */
  date: string;
  /** Exactly this many events are produced for the day. */
  events: number;
}

export const DAY_MS = 86_400_000;
/** Sessions start before 23:59 so that even a late one has room for its events inside the day. */
const LAST_SESSION_START_MS = DAY_MS - 60_000;
/** Rough mean events per session, only used to size the user population. */
const MEAN_EVENTS_PER_SESSION = 5.5;

/**
 * Funnel probabilities by device, each conditional on the previous step (cart: of sessions that did not
 * bounce; checkout: of non-empty carts; purchase: of checkouts). Desktop shoppers convert better than mobile.
 */
interface Funnel {
  bounce: number;
  cart: number;
  checkout: number;
  purchase: number;
}
const FUNNELS: Readonly<Record<DeviceType, Funnel>> = {
  desktop: { bounce: 0.14, cart: 0.4, checkout: 0.75, purchase: 0.78 },
  mobile: { bounce: 0.22, cart: 0.33, checkout: 0.62, purchase: 0.64 },
  tablet: { bounce: 0.18, cart: 0.36, checkout: 0.68, purchase: 0.7 },
};
const SEARCH_RATE = 0.3;
const REMOVE_RATE = 0.15;
const COUPON_RATE = 0.2;
const OTHER_CATEGORY_RATE = 0.2;

const LANDING_KINDS = new WeightedTable<"home" | "category" | "product" | "sale" | "campaign">([
  ["home", 35],
  ["category", 24],
  ["product", 26],
  ["sale", 9],
  ["campaign", 6],
]);
const PRODUCT_VIEW_COUNT = new WeightedTable<number>([
  [1, 20],
  [2, 25],
  [3, 22],
  [4, 15],
  [5, 10],
  [6, 8],
]);
const CART_LINES = new WeightedTable<number>([
  [1, 65],
  [2, 25],
  [3, 10],
]);
const QUANTITY = new WeightedTable<number>([
  [1, 72],
  [2, 18],
  [3, 6],
  [4, 4],
]);

/** One planned event of a session; the gap is milliseconds since the previous event of the session. */
interface Step {
  type: EventType;
  page: PageInfo;
  gap: number;
  product?: Product;
  quantity?: number;
  search?: string;
  coupon?: string;
  orderId?: string;
}

interface SessionPlan {
  rng: Rng;
  userId: string;
  sessionId: string;
  device: Device;
  geo: Geo;
  steps: Step[];
}

interface DayContext {
  seedKey: string;
  date: string;
  dayStart: number;
  userSeed: number;
  users: number;
}

export function parseDate(date: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN;
  if (!m || Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== date) {
    throw new Error(`invalid date "${date}" (expected YYYY-MM-DD)`);
  }
  return ms;
}

/**
 * About three potential users per session of a day: most users are new on a given day, some come back.
 * Rounded up to a power of two so that nearby volumes share the same users (and the same sessions).
 */
function userPool(events: number): number {
  return 2 ** Math.max(6, Math.ceil(Math.log2(Math.max(1, (events / MEAN_EVENTS_PER_SESSION) * 3))));
}

function dayContext(o: DayOptions): DayContext {
  const seedKey = String(o.seed);
  return {
    seedKey,
    date: o.date,
    dayStart: parseDate(o.date),
    userSeed: hashString(`${seedKey}|users`)[0],
    users: userPool(o.events),
  };
}

/** Plans session `index` of the day; the same arguments always give the same plan. */
function planSession(ctx: DayContext, index: number, maxEvents: number): SessionPlan {
  const rng = new Rng(`${ctx.seedKey}|${ctx.date}|s${index}`);
  // A loyal tenth of the users gets 30% of the sessions, so returning users show up at any scale.
  const user = Math.floor(ctx.users * (rng.chance(0.3) ? 0.1 : 1) * rng.next());
  // Country and preferred device are functions of the user, not the session, so they persist across days.
  const userHash = mix32(ctx.userSeed ^ Math.imul(user + 1, 0x9e3779b1));
  const geo = GEO_WEIGHTS.at(userHash / 4294967296);
  const preferred = DEVICE_TYPE_WEIGHTS.at(mix32(userHash) / 4294967296);
  const deviceType = rng.chance(0.8) ? preferred : DEVICE_TYPE_WEIGHTS.pick(rng);
  const device = DEVICES_BY_TYPE.get(deviceType)!.pick(rng);
  const sessionId = "s_" + rng.hex(16);
  const steps = planSteps(rng, FUNNELS[deviceType]);
  if (steps.length > maxEvents) truncate(steps, maxEvents);
  return { rng, userId: "u_" + String(user + 1).padStart(6, "0"), sessionId, device, geo, steps };
}

/** Cuts a plan to fit the day's remaining event budget without splitting an order's purchase lines. */
function truncate(steps: Step[], maxEvents: number): void {
  let cut = maxEvents;
  // Purchases only ever form the tail of a plan, so dropping one means dropping the whole order.
  if (steps[cut]?.type === "purchase") while (cut > 1 && steps[cut - 1]!.type === "purchase") cut--;
  steps.length = cut;
}

function planSteps(rng: Rng, funnel: Funnel): Step[] {
  const steps: Step[] = [];
  let page: PageInfo = { url: HOME_URL, referrer: null };
  const go = (url: string): PageInfo => (page = { url, referrer: page.url });

  // Landing.
  const kind = LANDING_KINDS.pick(rng);
  const viewed: number[] = [];
  let category: Category = CATEGORY_WEIGHTS.pick(rng);
  let landingProduct = -1;
  if (kind === "campaign") {
    page = { url: rng.pick(CAMPAIGN_LANDINGS), referrer: null };
  } else {
    let url = HOME_URL;
    if (kind === "category") url = categoryUrl(category);
    else if (kind === "sale") url = SALE_URL;
    else if (kind === "product") {
      landingProduct = PRODUCT_POPULARITY.pick(rng);
      category = PRODUCTS[landingProduct]!.category;
      url = PRODUCT_URLS[landingProduct]!;
    }
    page = { url, referrer: EXTERNAL_REFERRERS.pick(rng) };
  }
  steps.push({ type: "page_view", page, gap: 0 });
  if (landingProduct >= 0) {
    viewed.push(landingProduct);
    steps.push({ type: "product_view", page, gap: rng.skewed(800, 4000), product: PRODUCTS[landingProduct]! });
  }
  if (rng.chance(funnel.bounce)) return steps;

  const views = Math.max(PRODUCT_VIEW_COUNT.pick(rng), viewed.length);
  const viewProduct = (i: number, gap: number): void => {
    viewed.push(i);
    steps.push({ type: "product_view", page: go(PRODUCT_URLS[i]!), gap, product: PRODUCTS[i]! });
  };

  if (rng.chance(SEARCH_RATE)) {
    const term = SEARCH_TERMS.pick(rng);
    steps.push({ type: "search", page: go(term.url), gap: rng.skewed(3000, 40_000), search: term.query });
    const fromSearch = Math.min(views - viewed.length, term.matches.length, rng.int(1, 3));
    for (let k = 0; k < fromSearch; k++) {
      const i = rng.pick(term.matches);
      if (!viewed.includes(i)) viewProduct(i, rng.skewed(2000, 60_000));
    }
  }
  if (viewed.length < views) {
    if (!page.url.endsWith(`/c/${category}`)) {
      steps.push({ type: "page_view", page: go(categoryUrl(category)), gap: rng.skewed(2000, 45_000) });
    }
    for (let tries = 0; viewed.length < views && tries < views * 4; tries++) {
      if (rng.chance(OTHER_CATEGORY_RATE)) {
        const other = CATEGORY_WEIGHTS.pick(rng);
        if (other !== category) {
          category = other;
          steps.push({ type: "page_view", page: go(categoryUrl(category)), gap: rng.skewed(2000, 45_000) });
        }
      }
      const i = PRODUCTS_BY_CATEGORY.get(category)!.pick(rng);
      if (!viewed.includes(i)) viewProduct(i, rng.skewed(3000, 90_000));
    }
  }

  if (viewed.length === 0 || !rng.chance(funnel.cart)) return steps;

  // Add to cart straight after viewing the chosen products, on their pages.
  const lineCount = Math.min(CART_LINES.pick(rng), viewed.length);
  const chosen = new Set<number>();
  while (chosen.size < lineCount) chosen.add(rng.pick(viewed));
  const cart: { product: number; quantity: number }[] = [];
  const withAdds: Step[] = [];
  for (const step of steps) {
    withAdds.push(step);
    if (step.type !== "product_view") continue;
    const i = PRODUCTS.indexOf(step.product!);
    if (!chosen.has(i) || cart.some((line) => line.product === i)) continue;
    const quantity = QUANTITY.pick(rng);
    cart.push({ product: i, quantity });
    withAdds.push({ type: "add_to_cart", page: step.page, gap: rng.skewed(4000, 120_000), product: step.product!, quantity });
  }
  steps.length = 0;
  steps.push(...withAdds);

  if (rng.chance(REMOVE_RATE)) {
    steps.push({ type: "page_view", page: go(CART_URL), gap: rng.skewed(3000, 40_000) });
    const k = rng.int(0, cart.length - 1);
    const line = cart[k]!;
    const quantity = line.quantity > 1 && rng.chance(0.4) ? rng.int(1, line.quantity - 1) : line.quantity;
    steps.push({ type: "remove_from_cart", page, gap: rng.skewed(2000, 30_000), product: PRODUCTS[line.product]!, quantity });
    line.quantity -= quantity;
    if (line.quantity === 0) cart.splice(k, 1);
  }
  if (cart.length === 0 || !rng.chance(funnel.checkout)) return steps;

  if (page.url !== CART_URL) steps.push({ type: "page_view", page: go(CART_URL), gap: rng.skewed(3000, 40_000) });
  const coupon = rng.chance(COUPON_RATE) ? COUPON_CODES.pick(rng) : undefined;
  steps.push({ type: "checkout_start", page: go(CHECKOUT_URL), gap: rng.skewed(4000, 60_000), coupon });
  if (!rng.chance(funnel.purchase)) return steps;

  // One purchase event per remaining cart line, a few milliseconds apart so timestamps stay strictly increasing.
  const orderId = "o_" + rng.hex(12);
  const confirmation = go(CONFIRMATION_URL);
  cart.forEach((line, n) => {
    const gap = n === 0 ? rng.skewed(30_000, 240_000) : rng.int(1, 5);
    steps.push({ type: "purchase", page: confirmation, gap, product: PRODUCTS[line.product]!, quantity: line.quantity, coupon, orderId });
  });
  return steps;
}

/** Cumulative hourly traffic, normalised to 1, for mapping uniform numbers to start times. */
const HOUR_CDF: Float64Array = (() => {
  const total = HOURLY_TRAFFIC.reduce((a, b) => a + b, 0);
  const cdf = new Float64Array(25);
  HOURLY_TRAFFIC.forEach((w, h) => (cdf[h + 1] = cdf[h]! + w / total));
  cdf[24] = 1;
  return cdf;
})();

/** Inverse CDF of the hourly curve: quantile u in [0, 1] → milliseconds into the day. Monotone, so sorted in ⇒ sorted out. */
function startOffset(u: number): number {
  let h = 0;
  while (h < 23 && u >= HOUR_CDF[h + 1]!) h++;
  const lo = HOUR_CDF[h]!;
  const frac = Math.min(1, Math.max(0, (u - lo) / (HOUR_CDF[h + 1]! - lo)));
  return Math.floor(((h + frac) / 24) * LAST_SESSION_START_MS);
}

interface ActiveSession {
  plan: SessionPlan;
  times: number[];
  next: number;
  seq: number;
}

function before(a: ActiveSession, b: ActiveSession): boolean {
  const ta = a.times[a.next]!;
  const tb = b.times[b.next]!;
  return ta < tb || (ta === tb && a.seq < b.seq);
}

/** Minimal binary heap; the number of concurrently active sessions is small but unbounded in principle. */
class SessionHeap {
  private items: ActiveSession[] = [];
  get size(): number {
    return this.items.length;
  }
  peek(): ActiveSession | undefined {
    return this.items[0];
  }
  push(s: ActiveSession): void {
    const a = this.items;
    let i = a.push(s) - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }
  pop(): ActiveSession | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length > 0 && last !== undefined) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        if (l < a.length && before(a[l]!, a[m]!)) m = l;
        if (r < a.length && before(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

/** Absolute event times; a session that would run past midnight is compressed so the day partitions cleanly. */
function eventTimes(steps: readonly Step[], start: number, dayEnd: number): number[] {
  const times = new Array<number>(steps.length);
  let total = 0;
  for (let k = 1; k < steps.length; k++) total += steps[k]!.gap;
  const scale = start + total > dayEnd ? (dayEnd - start) / total : 1;
  let t = start;
  for (let k = 0; k < steps.length; k++) {
    if (k > 0) t += Math.max(1, Math.floor(steps[k]!.gap * scale));
    times[k] = Math.min(t, dayEnd);
  }
  return times;
}

/**
 * Yields exactly `events` events of one day in timestamp order (ties broken by session start order).
 *
 * Two passes over the sessions: the first only plans them to learn how many sessions fill the day's
 * budget (sessions are planned from per-session seeds, so nothing is kept), the second spreads that
 * many start times over the day as sorted order statistics and replays the same plans.
 */
export function* generateDayEvents(o: DayOptions): Generator<ClickEvent, void, undefined> {
  if (!Number.isInteger(o.events) || o.events < 0) throw new Error(`events must be a non-negative integer, got ${o.events}`);
  const ctx = dayContext(o);
  let sessions = 0;
  for (let remaining = o.events; remaining > 0; sessions++) {
    remaining -= planSession(ctx, sessions, remaining).steps.length;
  }

  const startRng = new Rng(`${ctx.seedKey}|${ctx.date}|starts`);
  const dayEnd = ctx.dayStart + DAY_MS - 1;
  const heap = new SessionHeap();
  let quantile = 0;
  let nextIndex = 0;
  let nextStart = 0;
  let remaining = o.events;
  const drawStart = (): void => {
    // Sequential sorted uniforms: the next of n-i order statistics above the current one.
    quantile = 1 - (1 - quantile) * Math.pow(1 - startRng.next(), 1 / (sessions - nextIndex));
    nextStart = ctx.dayStart + startOffset(quantile);
  };
  if (sessions > 0) drawStart();

  while (nextIndex < sessions || heap.size > 0) {
    const head = heap.peek();
    if (nextIndex < sessions && (head === undefined || nextStart <= head.times[head.next]!)) {
      const plan = planSession(ctx, nextIndex, remaining);
      remaining -= plan.steps.length;
      heap.push({ plan, times: eventTimes(plan.steps, nextStart, dayEnd), next: 0, seq: nextIndex });
      nextIndex++;
      if (nextIndex < sessions) drawStart();
      continue;
    }
    const s = heap.pop()!;
    const step = s.plan.steps[s.next]!;
    const time = s.times[s.next]!;
    s.next++;
    if (s.next < s.plan.steps.length) heap.push(s);
    yield toEvent(s.plan, step, time);
  }
}

function toEvent(plan: SessionPlan, step: Step, time: number): ClickEvent {
  // Built key by key so the object's key order is the model's order (JSON.stringify follows insertion order).
  const e = {
    event_id: plan.rng.uuid(),
    event_type: step.type,
    timestamp: new Date(time).toISOString(),
    user_id: plan.userId,
    session_id: plan.sessionId,
  } as ClickEvent;
  if (step.product !== undefined) e.product = step.product;
  if (step.quantity !== undefined) e.quantity = step.quantity;
  e.page = step.page;
  e.device = plan.device;
  e.geo = plan.geo;
  if (step.search !== undefined) e.search_query = step.search;
  if (step.coupon !== undefined) e.coupon_code = step.coupon;
  if (step.orderId !== undefined) e.order_id = step.orderId;
  return e;
}

/** JSON of the (frozen) catalog objects, which nearly every event embeds. */
const CATALOG_JSON: ReadonlyMap<object, string> = new Map(
  [...PRODUCTS, ...DEVICES, ...GEOS].map((o) => [o, JSON.stringify(o)] as const),
);
function objectJson(o: object): string {
  return CATALOG_JSON.get(o) ?? JSON.stringify(o);
}

/**
 * Same output as JSON.stringify(e), faster: products, devices and geos are shared catalog objects, so
 * their JSON is computed once. Every other value still goes through JSON.stringify, so anything is escaped.
 */
export function serializeEvent(e: ClickEvent): string {
  let s =
    '{"event_id":' +
    JSON.stringify(e.event_id) +
    ',"event_type":' +
    JSON.stringify(e.event_type) +
    ',"timestamp":' +
    JSON.stringify(e.timestamp) +
    ',"user_id":' +
    JSON.stringify(e.user_id) +
    ',"session_id":' +
    JSON.stringify(e.session_id);
  if (e.product !== undefined) s += ',"product":' + objectJson(e.product);
  if (e.quantity !== undefined) s += ',"quantity":' + JSON.stringify(e.quantity);
  s +=
    ',"page":{"url":' +
    JSON.stringify(e.page.url) +
    ',"referrer":' +
    JSON.stringify(e.page.referrer) +
    '},"device":' +
    objectJson(e.device) +
    ',"geo":' +
    objectJson(e.geo);
  if (e.search_query !== undefined) s += ',"search_query":' + JSON.stringify(e.search_query);
  if (e.coupon_code !== undefined) s += ',"coupon_code":' + JSON.stringify(e.coupon_code);
  if (e.order_id !== undefined) s += ',"order_id":' + JSON.stringify(e.order_id);
  return s + "}";
}
