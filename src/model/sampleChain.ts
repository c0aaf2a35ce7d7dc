import { seededFaker } from "../random/faker.js";
import { SeededRng, intBetween, pick } from "../random/rng.js";
import type { Chain, Product, Store } from "./chain.js";

const CITIES: ReadonlyArray<readonly [city: string, region: string, timezone: string]> = [
  ["New York", "Northeast", "America/New_York"],
  ["Boston", "Northeast", "America/New_York"],
  ["Philadelphia", "Northeast", "America/New_York"],
  ["Pittsburgh", "Northeast", "America/New_York"],
  ["Atlanta", "Southeast", "America/New_York"],
  ["Miami", "Southeast", "America/New_York"],
  ["Charlotte", "Southeast", "America/New_York"],
  ["Nashville", "Southeast", "America/Chicago"],
  ["Chicago", "Midwest", "America/Chicago"],
  ["Minneapolis", "Midwest", "America/Chicago"],
  ["Detroit", "Midwest", "America/Detroit"],
  ["Columbus", "Midwest", "America/New_York"],
  ["Dallas", "South", "America/Chicago"],
  ["Houston", "South", "America/Chicago"],
  ["Austin", "South", "America/Chicago"],
  ["Denver", "Mountain", "America/Denver"],
  ["Phoenix", "Mountain", "America/Phoenix"],
  ["Salt Lake City", "Mountain", "America/Denver"],
  ["Los Angeles", "West", "America/Los_Angeles"],
  ["San Francisco", "West", "America/Los_Angeles"],
  ["San Diego", "West", "America/Los_Angeles"],
  ["Seattle", "West", "America/Los_Angeles"],
  ["Portland", "West", "America/Los_Angeles"],
  ["Las Vegas", "West", "America/Los_Angeles"],
];

/** The chain's online shop: always open, shipping from a warehouse (its own ledger), a modest share while stores are open. */
const ONLINE_SHOP: Store = {
  store_id: "ONLINE",
  name: "Online shop",
  city: "Columbus",
  region: "Online",
  timezone: "America/New_York",
  channel: "online",
  online_share: 0.12,
};
const POPULARITY_SIGMA = 1.5;

/** Categories with a typical shelf-price range in dollars and what they sell. */
const CATEGORIES: ReadonlyArray<{ name: string; min: number; max: number; stock: number; items: readonly string[] }> = [
  {
    name: "Grocery",
    min: 0.99,
    max: 14.99,
    stock: 240,
    items: ["Pasta", "Rice", "Cereal", "Coffee", "Olive Oil", "Peanut Butter", "Crackers", "Granola"],
  },
  {
    name: "Beverages",
    min: 0.79,
    max: 24.99,
    stock: 200,
    items: ["Sparkling Water", "Orange Juice", "Cola 12-Pack", "Iced Tea", "Energy Drink", "Cold Brew"],
  },
  {
    name: "Household",
    min: 1.99,
    max: 29.99,
    stock: 120,
    items: ["Paper Towels", "Dish Soap", "Laundry Detergent", "Trash Bags", "Sponges", "All-Purpose Cleaner"],
  },
  {
    name: "Personal Care",
    min: 2.49,
    max: 39.99,
    stock: 100,
    items: ["Shampoo", "Toothpaste", "Body Wash", "Deodorant", "Sunscreen", "Razor"],
  },
  {
    name: "Apparel",
    min: 7.99,
    max: 89.99,
    stock: 60,
    items: ["T-Shirt", "Hoodie", "Jeans", "Socks 6-Pack", "Rain Jacket", "Polo Shirt"],
  },
  {
    name: "Footwear",
    min: 19.99,
    max: 149.99,
    stock: 40,
    items: ["Running Shoes", "Sandals", "Hiking Boots", "Slippers", "Sneakers"],
  },
  {
    name: "Electronics",
    min: 9.99,
    max: 899.99,
    stock: 25,
    items: ["Headphones", "Phone Charger", "Bluetooth Speaker", "Smartwatch", "Tablet", "HDMI Cable"],
  },
  {
    name: "Home & Kitchen",
    min: 4.99,
    max: 249.99,
    stock: 50,
    items: ["Frying Pan", "Blender", "Bath Towel", "Coffee Maker", "Knife Set", "Throw Pillow"],
  },
  {
    name: "Toys",
    min: 4.99,
    max: 79.99,
    stock: 60,
    items: ["Building Blocks", "Puzzle", "Board Game", "Plush Bear", "Toy Car", "Art Set"],
  },
  {
    name: "Sports",
    min: 5.99,
    max: 199.99,
    stock: 40,
    items: ["Yoga Mat", "Dumbbells", "Basketball", "Water Bottle", "Tennis Racket", "Bike Helmet"],
  },
  {
    name: "Garden",
    min: 2.99,
    max: 129.99,
    stock: 50,
    items: ["Potting Soil", "Garden Hose", "Seed Kit", "Pruning Shears", "Planter"],
  },
  {
    name: "Books",
    min: 4.99,
    max: 39.99,
    stock: 45,
    items: ["Cookbook", "Novel", "Travel Guide", "Notebook", "Children's Book"],
  },
];
const ENDINGS = [99, 99, 99, 49, 29, 79, 0];
const HOURS = [
  { open: "07:00", close: "22:00" },
  { open: "08:00", close: "21:00" },
  { open: "09:00", close: "21:00" },
  { open: "06:00", close: "23:00" },
];

/** A shelf price: drawn in a range (log-uniform, so cheap items are common), ending in .99, .49 and the like. */
function shelfPriceCents(rng: SeededRng, min: number, max: number): number {
  const dollars = Math.floor(min * Math.pow(max / min, rng.next()));
  const ending = pick(rng, ENDINGS);
  return Math.max(Math.round(min * 100), dollars * 100 + (ending === 0 ? 0 : ending));
}

/** A seeded sample chain: `stores` physical stores plus the online shop, and `products` products; the same for the same seed. */
export function sampleChain({ stores, products, seed }: { stores: number; products: number; seed: number }): Chain {
  const rng = new SeededRng(seed);
  const faker = seededFaker(rng);
  const storeList: Store[] = Array.from({ length: stores }, (_, i) => {
    const [city, region, timezone] = CITIES[i % CITIES.length] as (typeof CITIES)[number];
    return {
      store_id: `S${String(i + 1).padStart(3, "0")}`,
      name: `${city} ${faker.location.street()}`,
      city,
      region,
      timezone,
      channel: "store",
      opening_hours: pick(rng, HOURS),
    };
  });
  const brands = faker.helpers.uniqueArray(() => faker.company.name().split(/[ ,-]/)[0] ?? "Acme", 60);
  const productList: Product[] = Array.from({ length: products }, (_, i) => {
    const category = pick(rng, CATEGORIES);
    const brand = pick(rng, brands);
    const priceCents = shelfPriceCents(rng, category.min, category.max);
    const marginPct = intBetween(rng, 25, 55);
    // Log-normal demand (σ 1.5): the top fifth of products sells about three quarters of the units.
    const normal = Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
    return {
      sku: `P${String(i + 1).padStart(4, "0")}`,
      name: `${brand} ${faker.commerce.productAdjective()} ${pick(rng, category.items)}`,
      category: category.name,
      brand,
      base_price: priceCents / 100,
      cost: Math.max(1, Math.round((priceCents * (100 - marginPct)) / 100)) / 100,
      popularity: Math.max(0.001, Math.round(Math.exp(POPULARITY_SIGMA * normal) * 1000) / 1000),
    };
  });
  return { stores: [...storeList, ONLINE_SHOP], products: productList };
}
