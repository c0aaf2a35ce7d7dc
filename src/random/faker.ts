import { Faker, base, en, en_US } from "@faker-js/faker";
import type { Rng } from "./rng.js";

/** Faker's fixed reference date, so seeded dates don't drift from day to day. */
const FAKER_REFERENCE_DATE = "2026-01-01T00:00:00.000Z";

/** A faker that draws from the project's generator instead of its own. */
export function seededFaker(rng: Rng): Faker {
  const faker = new Faker({
    locale: [en_US, en, base],
    randomizer: { next: () => rng.next(), seed: () => undefined },
  });
  faker.setDefaultRefDate(FAKER_REFERENCE_DATE);
  return faker;
}
