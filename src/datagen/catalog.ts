/**
 * The static world the clickstream happens in: products, devices, places, referrers, searches, coupons.
 *
 * Objects that end up inside events (Product, Device, Geo) carry exactly the fields the event model
 * prints, in its key order; weights and slugs live in separate tables so they never leak into JSON.
 */
import { WeightedTable } from "./random.js";

export const SHOP_ORIGIN = "https://shop.example.com";

export const CATEGORIES = ["footwear", "apparel", "electronics", "home", "beauty", "sports", "books", "toys"] as const;
export type Category = (typeof CATEGORIES)[number];

export interface Product {
  id: string;
  name: string;
  category: Category;
  /** Dollars as a JSON number: 89.99, or 120 for whole prices (never the string "120.00"). */
  price: number;
}

// [name, category, price, popularity]
const PRODUCT_ROWS: readonly (readonly [string, Category, number, number])[] = [
  ["Trail Running Shoes", "footwear", 89.99, 5],
  ["Leather Chelsea Boots", "footwear", 149.95, 2],
  ["Canvas Low-Top Sneakers", "footwear", 49.99, 4],
  ["Waterproof Hiking Boots", "footwear", 120, 3],
  ["Slip-On Loafers", "footwear", 64.99, 1],
  ["Cushioned Road Running Shoes", "footwear", 119.99, 3],
  ["Wool House Slippers", "footwear", 29.99, 2],
  ["Sport Sandals", "footwear", 39.95, 2],
  ["Merino Wool Base Layer", "apparel", 74.99, 2],
  ["Packable Rain Jacket", "apparel", 99.99, 3],
  ["Organic Cotton T-Shirt", "apparel", 19.99, 5],
  ["Slim Fit Chinos", "apparel", 59.95, 2],
  ["Fleece Hoodie", "apparel", 54.99, 4],
  ["Down Puffer Vest", "apparel", 110, 1],
  ["Linen Button-Down Shirt", "apparel", 44.99, 2],
  ["Running Shorts", "apparel", 27.49, 3],
  ["Wireless Noise-Cancelling Headphones", "electronics", 249.99, 5],
  ["Bluetooth Portable Speaker", "electronics", 79.99, 3],
  ["Fitness Tracker Watch", "electronics", 129.99, 3],
  ["USB-C Fast Charger", "electronics", 24.99, 4],
  ["Mechanical Keyboard", "electronics", 109.99, 2],
  ["4K Action Camera", "electronics", 199, 2],
  ["E-Reader with Warm Light", "electronics", 139.99, 2],
  ["Wireless Earbuds", "electronics", 89, 4],
  ["Pour-Over Coffee Maker", "home", 34.99, 3],
  ["Cast Iron Skillet", "home", 39.99, 3],
  ["Linen Duvet Cover", "home", 129, 1],
  ["Scented Soy Candle", "home", 18.99, 3],
  ["Ceramic Plant Pot Set", "home", 42.99, 2],
  ["Bamboo Cutting Board", "home", 22.99, 2],
  ["Insulated Travel Mug", "home", 24.95, 3],
  ["Memory Foam Pillow", "home", 49.99, 2],
  ["Vitamin C Serum", "beauty", 32.99, 4],
  ["Hydrating Face Cream", "beauty", 28.49, 3],
  ["Mineral Sunscreen SPF 50", "beauty", 21.99, 4],
  ["Argan Hair Oil", "beauty", 24.99, 2],
  ["Natural Deodorant", "beauty", 12.99, 3],
  ["Bamboo Toothbrush 4-Pack", "beauty", 9.99, 2],
  ["Eau de Parfum 50ml", "beauty", 85, 1],
  ["Clay Face Mask", "beauty", 19.95, 2],
  ["Yoga Mat", "sports", 39.99, 4],
  ["Adjustable Dumbbell Set", "sports", 299, 1],
  ["Resistance Bands Set", "sports", 24.99, 3],
  ["Insulated Water Bottle", "sports", 29.99, 4],
  ["Cycling Helmet", "sports", 69.99, 2],
  ["Trail Running Vest", "sports", 89.95, 2],
  ["Foam Roller", "sports", 22.49, 2],
  ["Tennis Racket", "sports", 119.99, 1],
  ["The Pragmatic Gardener", "books", 24.99, 2],
  ["Deep Work Habits", "books", 18.99, 3],
  ["Cooking with Cast Iron", "books", 29.95, 2],
  ["A Field Guide to Trail Running", "books", 21.99, 2],
  ["The Data Lake Handbook", "books", 45, 1],
  ["Mystery at Harbor Point", "books", 14.99, 3],
  ["Illustrated World Atlas", "books", 34.99, 1],
  ["Wooden Building Blocks", "toys", 34.99, 3],
  ["Remote Control Car", "toys", 59.99, 3],
  ["1000-Piece Jigsaw Puzzle", "toys", 19.99, 2],
  ["Plush Teddy Bear", "toys", 24.99, 3],
  ["Science Experiment Kit", "toys", 39.99, 2],
];

// Frozen: events embed these very objects, and their JSON is cached by identity.
export const PRODUCTS: readonly Product[] = PRODUCT_ROWS.map(([name, category, price], i) =>
  Object.freeze({ id: "p_" + String(i + 1).padStart(4, "0"), name, category, price }),
);

function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}

/** Product page URLs, precomputed because one is needed for nearly every product event. */
export const PRODUCT_URLS: readonly string[] = PRODUCTS.map((p) => `${SHOP_ORIGIN}/p/${p.id}/${slugify(p.name)}`);

export const PRODUCT_POPULARITY = new WeightedTable(PRODUCT_ROWS.map((row, i) => [i, row[3]] as const));

/** Product indices per category, each with the same popularity weights. */
export const PRODUCTS_BY_CATEGORY: ReadonlyMap<Category, WeightedTable<number>> = new Map(
  CATEGORIES.map((c) => [
    c,
    new WeightedTable(PRODUCT_ROWS.flatMap((row, i) => (row[1] === c ? [[i, row[3]] as const] : []))),
  ]),
);

export const CATEGORY_WEIGHTS = new WeightedTable<Category>([
  ["footwear", 16],
  ["apparel", 18],
  ["electronics", 17],
  ["home", 13],
  ["beauty", 12],
  ["sports", 11],
  ["books", 7],
  ["toys", 6],
]);

export function categoryUrl(c: Category): string {
  return `${SHOP_ORIGIN}/c/${c}`;
}

export const HOME_URL = `${SHOP_ORIGIN}/`;
export const SALE_URL = `${SHOP_ORIGIN}/sale`;
export const CART_URL = `${SHOP_ORIGIN}/cart`;
export const CHECKOUT_URL = `${SHOP_ORIGIN}/checkout`;
export const CONFIRMATION_URL = `${SHOP_ORIGIN}/checkout/confirmation`;

export type DeviceType = "desktop" | "mobile" | "tablet";

export interface Device {
  type: DeviceType;
  os: string;
  browser: string;
}

const DEVICE_ROWS: readonly (readonly [DeviceType, string, string, number])[] = [
  ["desktop", "Windows", "Chrome", 30],
  ["desktop", "Windows", "Edge", 10],
  ["desktop", "Windows", "Firefox", 5],
  ["desktop", "macOS", "Chrome", 12],
  ["desktop", "macOS", "Safari", 12],
  ["desktop", "macOS", "Firefox", 3],
  ["desktop", "Linux", "Firefox", 2],
  ["desktop", "Linux", "Chrome", 2],
  ["mobile", "iOS", "Safari", 25],
  ["mobile", "iOS", "Chrome", 5],
  ["mobile", "Android", "Chrome", 25],
  ["mobile", "Android", "Samsung Internet", 6],
  ["mobile", "Android", "Firefox", 2],
  ["tablet", "iPadOS", "Safari", 8],
  ["tablet", "Android", "Chrome", 3],
];

export const DEVICES: readonly Device[] = DEVICE_ROWS.map(([type, os, browser]) => Object.freeze({ type, os, browser }));

/** Only os/browser combinations that exist on each device type (no Safari on Android). */
export const DEVICES_BY_TYPE: ReadonlyMap<DeviceType, WeightedTable<Device>> = new Map(
  (["desktop", "mobile", "tablet"] as const).map((t) => [
    t,
    new WeightedTable(DEVICE_ROWS.flatMap((row, i) => (row[0] === t ? [[DEVICES[i]!, row[3]] as const] : []))),
  ]),
);

export const DEVICE_TYPE_WEIGHTS = new WeightedTable<DeviceType>([
  ["mobile", 55],
  ["desktop", 35],
  ["tablet", 10],
]);

export interface Geo {
  country: string;
  city: string;
}

const GEO_ROWS: readonly (readonly [string, string, number])[] = [
  ["US", "Seattle", 6],
  ["US", "New York", 10],
  ["US", "Austin", 5],
  ["US", "Chicago", 6],
  ["US", "San Francisco", 6],
  ["US", "Miami", 4],
  ["CA", "Toronto", 5],
  ["CA", "Vancouver", 3],
  ["GB", "London", 8],
  ["GB", "Manchester", 3],
  ["DE", "Berlin", 5],
  ["DE", "Munich", 3],
  ["FR", "Paris", 5],
  ["NL", "Amsterdam", 3],
  ["ES", "Madrid", 3],
  ["IT", "Milan", 2],
  ["SE", "Stockholm", 2],
  ["PL", "Warsaw", 2],
  ["AU", "Sydney", 3],
  ["JP", "Tokyo", 3],
  ["BR", "São Paulo", 3],
  ["IN", "Bengaluru", 3],
  ["MX", "Mexico City", 2],
];

export const GEOS: readonly Geo[] = GEO_ROWS.map(([country, city]) => Object.freeze({ country, city }));
export const GEO_WEIGHTS = new WeightedTable(GEO_ROWS.map((row, i) => [GEOS[i]!, row[2]] as const));

/** External referrers of a session's first page; null is direct traffic (typed URL, bookmark, app). */
export const EXTERNAL_REFERRERS = new WeightedTable<string | null>([
  [null, 26],
  ["https://www.google.com/", 36],
  ["https://www.bing.com/", 5],
  ["https://duckduckgo.com/", 3],
  ["https://www.facebook.com/", 8],
  ["https://l.instagram.com/", 7],
  ["https://www.pinterest.com/", 3],
  ["https://www.tiktok.com/", 4],
  ["https://t.co/", 2],
  ["https://www.reddit.com/", 3],
  ["https://www.youtube.com/", 3],
]);

/** Email campaigns land with utm parameters and no referrer, as mail clients send none. */
export const CAMPAIGN_LANDINGS: readonly string[] = [
  `${SHOP_ORIGIN}/?utm_source=newsletter&utm_medium=email&utm_campaign=summer_sale`,
  `${SHOP_ORIGIN}/sale?utm_source=newsletter&utm_medium=email&utm_campaign=weekly_picks`,
  `${SHOP_ORIGIN}/c/footwear?utm_source=newsletter&utm_medium=email&utm_campaign=new_arrivals`,
];

export interface SearchTerm {
  query: string;
  /** Indices into PRODUCTS; empty for searches the shop has no results for. */
  matches: readonly number[];
  url: string;
}

// [query, weight, category filter, name keyword]
const SEARCH_ROWS: readonly (readonly [string, number, Category | null, string | null])[] = [
  ["running shoes", 8, "footwear", "running"],
  ["trail running", 5, null, "trail"],
  ["boots", 5, null, "boots"],
  ["rain jacket", 4, null, "jacket"],
  ["wireless headphones", 6, null, "wireless"],
  ["earbuds", 4, null, "earbuds"],
  ["yoga mat", 4, null, "yoga"],
  ["coffee", 3, null, "coffee"],
  ["cast iron", 3, null, "cast iron"],
  ["sunscreen", 4, null, "sunscreen"],
  ["face serum", 3, "beauty", "serum"],
  ["water bottle", 3, null, "bottle"],
  ["hoodie", 3, null, "hoodie"],
  ["gifts for kids", 3, "toys", null],
  ["books", 2, "books", null],
  ["action camera", 2, null, "camera"],
  ["puzzle", 2, null, "puzzle"],
  ["merino", 2, null, "merino"],
  ["charger", 2, null, "charger"],
  ["pillow", 2, null, "pillow"],
  // No results: real shops see these, and zero-result searches are a metric worth having.
  ["gift card", 2, null, "gift card"],
  ["snowboard", 1, null, "snowboard"],
];

export const SEARCH_TERMS = new WeightedTable<SearchTerm>(
  SEARCH_ROWS.map(([query, weight, category, keyword]) => {
    const matches = PRODUCTS.flatMap((p, i) =>
      (category === null || p.category === category) && (keyword === null || p.name.toLowerCase().includes(keyword))
        ? [i]
        : [],
    );
    const url = `${SHOP_ORIGIN}/search?q=${encodeURIComponent(query).replace(/%20/g, "+")}`;
    return [{ query, matches, url }, weight] as const;
  }),
);

export const COUPON_CODES = new WeightedTable<string>([
  ["SUMMER10", 40],
  ["WELCOME15", 25],
  ["FREESHIP", 20],
  ["FLASH20", 10],
  ["VIP25", 5],
]);

/**
 * Relative traffic per UTC hour: a trough in the early morning, a peak around 20:00 (evening in Europe,
 * afternoon in the Americas), which is what hourly dashboards should show.
 */
export const HOURLY_TRAFFIC: readonly number[] = [
  3.0, 2.2, 1.6, 1.2, 1.0, 1.0, 1.3, 1.9, 2.7, 3.4, 3.9, 4.3, 4.7, 5.0, 5.3, 5.7, 6.1, 6.6, 7.2, 7.8, 8.0, 7.2, 5.6, 4.2,
];
