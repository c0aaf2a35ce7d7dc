// Schema version 2 is the default; the tests written for version 1's stream run it with --schema-version 1,
// given here once through the environment every spawned CLI inherits (a flag on its command line wins, so the
// version 2 tests say --schema-version 2, and the default itself is tested with this variable removed).
process.env.RETAIL_STREAM_SCHEMA_VERSION ??= "1";
