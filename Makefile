# retail-stream — see README.md. `make run` streams into Kafka; `make test` runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NPM_STAMP := node_modules/.install-stamp
BUILD_STAMP := dist/.build-stamp
SOURCES := $(shell find src -name '*.ts' 2>/dev/null) tsconfig.json tsconfig.build.json
ARGS ?=
# `make run` streams until stopped unless ARGS bound the run themselves.
BOUNDED := $(strip $(foreach f,--count --duration --from --continuous,$(findstring $(f),$(ARGS))))
# The local broker is started unless the run points elsewhere.
REMOTE_BROKERS := $(or $(findstring --brokers,$(ARGS)),$(filter-out 127.0.0.1:9092 localhost:9092,$(KAFKA_BOOTSTRAP_SERVERS)))
# Nor when the run writes to stdout.
NO_BROKER := $(or $(REMOTE_BROKERS),$(findstring --sink stdout,$(ARGS)),$(findstring --sink=stdout,$(ARGS)))

.PHONY: help install build lint format api unit hours test-deps e2e e2e-secure e2e-cluster e2e-container image test run kafka-up kafka-down registry-up registry-down postgres-up postgres-down bench soak sample-data docs watch clean

help: ## List the targets
	@grep -E '^[a-z0-9-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

# node-gyp builds against the headers of the node that runs it (Debian's in /usr, nvm's or Homebrew's
# in their prefix) rather than downloading them; without headers there, it downloads as usual.
NODE_PREFIX := $(shell node -p "require('path').resolve(process.execPath, '../..')" 2>/dev/null)
NODEDIR := $(if $(wildcard $(NODE_PREFIX)/include/node/node.h),$(NODE_PREFIX))

$(NPM_STAMP): package.json package-lock.json $(wildcard scripts/patches/*.patch)
	@scripts/system-deps.sh
	npm ci --no-audit --no-fund --ignore-scripts
	@scripts/librdkafka-patch.sh
	$(if $(NODEDIR),npm_config_nodedir=$(NODEDIR) )npm rebuild
	@touch $@

install: $(NPM_STAMP) ## Install dependencies (node-rdkafka compiles librdkafka: ~3 min the first time)

$(BUILD_STAMP): $(NPM_STAMP) $(SOURCES) scripts/bundle.mjs
	npx tsc -p tsconfig.build.json
	node scripts/bundle.mjs
	@touch $@

build: $(BUILD_STAMP) ## Compile TypeScript to dist/ and bundle the command line (dist/bundle/)

lint: build ## Type-check everything (examples use the built package), run eslint, check the formatting (Prettier), check the rooms' imports point down (dependency-cruiser) and the public API against its report (api-extractor)
	npx tsc -p tsconfig.json --noEmit
	npx eslint .
	npx prettier --check --log-level warn "src/**/*.ts" "test/**/*.ts" "bench/**/*.mjs" "examples/**/*.ts" "scripts/**/*.mjs" || { echo "lint: formatting differs; run make format"; exit 1; }
	npx depcruise src --config .dependency-cruiser.cjs --output-type err
	@npx api-extractor run > dist/api-extractor.log 2>&1 || { cat dist/api-extractor.log; echo "lint: the public API differs from docs/api/retail-stream.api.md; if the change is meant, run make api and commit the report"; exit 1; }

format: $(NPM_STAMP) ## Format the code with Prettier (make lint checks it)
	npx prettier --write --log-level warn "src/**/*.ts" "test/**/*.ts" "bench/**/*.mjs" "examples/**/*.ts" "scripts/**/*.mjs"

api: build ## Update the public API report (docs/api/retail-stream.api.md) after a deliberate change to the library's surface
	npx api-extractor run --local

unit: build ## Unit, marble and CLI tests (no broker), their files in two processes at once
	npx mocha --parallel --jobs 2 'test/unit/**/*.spec.ts' 'test/cli/**/*.spec.ts'

hours: build ## The tests that start at the real time of day (@clock), under libfaketime at 00, 06, 12, 18 UTC and across a DST change
	@scripts/hours.sh

e2e: build ## Tests against the real broker, registry and database (expects `make kafka-up registry-up postgres-up`)
	npx mocha --timeout 180000 'test/e2e/*.spec.ts'

e2e-secure: build ## Tests against the secured broker (expects `make kafka-up SECURITY=sasl_ssl`)
	npx mocha --timeout 180000 'test/e2e/secure/*.spec.ts'

e2e-cluster: build ## Tests against the three-node cluster (expects `make kafka-up BROKERS=3`)
	npx mocha --timeout 240000 'test/e2e/cluster/*.spec.ts'

image: build ## Build the container image retail-stream:latest with docker, else podman (prints its size)
	scripts/image.sh

e2e-container: ## The image and the compose stack under podman, from local stand-ins for the base images (expects `make kafka-up`)
	scripts/container-standins.sh
	scripts/image.sh
	CONTAINERS_CONF=$(CURDIR)/containers/containers.conf npx mocha --timeout 600000 'test/e2e/container/*.spec.ts'

test-deps: ## Install Prometheus and Chromium (Debian packages) for the live e2e tests; idempotent
	@scripts/test-deps.sh

test: lint unit hours test-deps ## Everything: lint, unit tests, then the e2e tests against each local Kafka (plain with the registry, secured, three nodes), one at a time, and the container image last
	@status=0; \
	for variant in "e2e" "e2e-secure SECURITY=sasl_ssl" "e2e-cluster BROKERS=3" "e2e-container"; do \
	  set -- $$variant; target=$$1; shift; \
	  if [ $$target = e2e ]; then scripts/registry-up.sh && scripts/postgres-up.sh || status=1; fi; \
	  [ $$status -eq 0 ] && env "$$@" scripts/kafka-up.sh && $(MAKE) --no-print-directory $$target || status=1; \
	  env "$$@" scripts/kafka-down.sh; \
	  if [ $$target = e2e ]; then scripts/registry-down.sh; scripts/postgres-down.sh; fi; \
	  [ $$status -eq 0 ] || exit $$status; \
	done

run: build ## Stream into Kafka, one event every 10–60 s, live page and metrics at http://127.0.0.1:9464/ (ARGS="..." passes flags)
	$(if $(NO_BROKER),,@$(MAKE) --no-print-directory kafka-up)
	bin/retail-stream $(if $(BOUNDED),,--continuous) $(if $(findstring --http,$(ARGS)),,--http 127.0.0.1:9464) $(ARGS)

registry-up: ## Start a local Apicurio Registry (Confluent API at http://127.0.0.1:8081/apis/ccompat/v7); idempotent
	@scripts/registry-up.sh

registry-down: ## Stop the local registry; idempotent
	@scripts/registry-down.sh

postgres-up: ## Start a local PostgreSQL 15 (logical WAL) at postgres://retail:retail@127.0.0.1:5433/retail, as a non-root user; idempotent
	@scripts/postgres-up.sh

postgres-down: ## Stop the local PostgreSQL (its data stays in .postgres/); idempotent
	@scripts/postgres-down.sh

kafka-up: ## Start a local Kafka (KRaft) on 127.0.0.1:9092; SECURITY=sasl_ssl (:9192) or BROKERS=3 (:9292,:9392,:9492); idempotent
	@SECURITY=$(or $(SECURITY),plaintext) BROKERS=$(or $(BROKERS),1) scripts/kafka-up.sh

kafka-down: ## Stop that local Kafka (same SECURITY/BROKERS); idempotent
	@SECURITY=$(or $(SECURITY),plaintext) BROKERS=$(or $(BROKERS),1) scripts/kafka-down.sh

soak: build ## Freeze the local broker (SIGSTOP) 60 times under full-speed runs: no run may hang or lose a record (about an hour; not in CI)
	@$(MAKE) --no-print-directory kafka-up
	node bench/soak.mjs

bench: build ## Throughput (per value format too), memory, pacing and database backfill figures (starts the local broker, registry and PostgreSQL)
	@$(MAKE) --no-print-directory kafka-up
	@scripts/registry-up.sh
	@scripts/postgres-up.sh
	node --expose-gc bench/run.mjs $(BENCH_ARGS)

sample-data: build ## Regenerate data/ (SEED=42 STORES=20 PRODUCTS=500)
	bin/retail-stream sample-data --stores $(or $(STORES),20) --products $(or $(PRODUCTS),500) --seed $(or $(SEED),42) --out data --force

watch: ## Print a topic as it fills (TOPIC=retail-sales-transactions), with Kafka's console consumer
	java -cp '.kafka/lib/*' -Dlog4j2.configurationFile=kafka/log4j2.properties -Dkafka.logs.dir=.kafka/logs -Dkafka.log.file=tools.log \
	  org.apache.kafka.tools.consumer.ConsoleConsumer --bootstrap-server $(or $(KAFKA_BOOTSTRAP_SERVERS),127.0.0.1:9092) \
	  --topic $(or $(TOPIC),retail-sales-transactions) --from-beginning \
	  --property print.key=true --property print.timestamp=true --property print.headers=true

docs: build ## Regenerate the command-line reference in docs/cli.md from --help
	node scripts/cli-reference.mjs

clean: ## Remove build output and the local broker's data
	rm -rf dist .kafka/data .kafka/logs .kafka-secure .kafka-cluster .registry/logs
