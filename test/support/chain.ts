import type { Chain } from "../../src/model/chain.js";

/** A two-store, three-product chain small enough to reason about. */
export const tinyChain: Chain = {
  stores: [
    {
      store_id: "S001",
      name: "Denver Main",
      city: "Denver",
      region: "Mountain",
      timezone: "America/Denver",
      opening_hours: { open: "08:00", close: "21:00" },
    },
    {
      store_id: "S002",
      name: "Austin Lamar",
      city: "Austin",
      region: "South",
      timezone: "America/Chicago",
      opening_hours: { open: "07:00", close: "22:00" },
    },
  ],
  products: [
    {
      sku: "P0001",
      name: "Coffee",
      category: "Grocery",
      brand: "Acme",
      base_price: 7.99,
      cost: 4.5,
      initial_stock: 100,
      reorder_point: 20,
    },
    {
      sku: "P0002",
      name: "Towel",
      category: "Home",
      brand: "Acme",
      base_price: 12.49,
      cost: 7.1,
      initial_stock: 50,
      reorder_point: 10,
    },
    {
      sku: "P0003",
      name: "Headphones",
      category: "Electronics",
      brand: "Zed",
      base_price: 59.99,
      cost: 35,
      initial_stock: 20,
      reorder_point: 5,
    },
  ],
};

/** The tiny chain with an online shop, so some store serves customers at every hour. */
export const openChain: Chain = {
  ...tinyChain,
  stores: [
    ...tinyChain.stores,
    {
      store_id: "WEB",
      name: "Online",
      city: "Denver",
      region: "Online",
      timezone: "America/Denver",
      channel: "online",
      online_share: 0.2,
    },
  ],
};
