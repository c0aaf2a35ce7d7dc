import type { Faker } from "@faker-js/faker";
// The en_US build alone: the package's index loads all seventy locales (about 30 MB more per process).
import { faker as enUS } from "@faker-js/faker/locale/en_US";
import type { Rng } from "./rng.js";

/** Faker's fixed reference date, so seeded dates don't drift from day to day. */
const FAKER_REFERENCE_DATE = "2026-01-01T00:00:00.000Z";

/** A faker that draws from the project's generator instead of its own. */
export function seededFaker(rng: Rng): Faker {
  // en_US over en over base, as merged by the en_US build.
  const faker = new (enUS.constructor as typeof Faker)({
    locale: enUS.rawDefinitions,
    randomizer: { next: () => rng.next(), seed: () => undefined },
  });
  faker.setDefaultRefDate(FAKER_REFERENCE_DATE);
  return faker;
}
