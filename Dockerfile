# retail-stream container image: `make image` (docker, else podman), or `docker build -t retail-stream .`
# Build stage: compiles librdkafka (node-rdkafka) and the TypeScript.
FROM node:20-bookworm AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ patch libssl-dev zlib1g-dev libzstd-dev \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
COPY scripts/librdkafka-patch.sh ./scripts/
COPY scripts/patches ./scripts/patches
# A registry reached through a proxy with its own CA: pass its bundle as the build secret `npmca`
# (scripts/image.sh passes $NODE_EXTRA_CA_CERTS); it is read during the build, never copied into an image.
RUN --mount=type=secret,id=npmca if [ -s /run/secrets/npmca ]; then export NODE_EXTRA_CA_CERTS=/run/secrets/npmca; fi \
    && npm ci --no-audit --no-fund --ignore-scripts && scripts/librdkafka-patch.sh && npm rebuild
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/
# --no-install: a tool missing because npm ci failed is an error here, not a download.
# At run time node-rdkafka loads its addon and librdkafka's shared libraries: librdkafka's sources,
# objects and static archives (about 500 MB) stay behind.
# What only a build or an editor reads goes too: debug symbols of the native libraries (librdkafka 12.5 -> 2.8 MB,
# DuckDB's engine 70.5 -> 59.6 MB), source maps, type declarations, sources and docs, rxjs's builds other than the
# CommonJS one Node loads (about 50 MB in all: the image stays under 400 MB with DuckDB's engine in it).
RUN npx --no-install tsc -p tsconfig.build.json && node scripts/bundle.mjs && npm prune --omit=dev \
    && rm -rf node_modules/node-rdkafka/deps node_modules/node-rdkafka/build/Release/obj.target \
       node_modules/node-rdkafka/build/deps/librdkafka node_modules/node-rdkafka/build/deps/*.a \
    && find node_modules/node-rdkafka/build node_modules/@duckdb -type f \( -name '*.so*' -o -name '*.node' \) \
       -exec strip --strip-unneeded {} + \
    && find node_modules dist -type f \( -name '*.map' -o -name '*.d.ts' -o -name '*.d.mts' -o -name '*.d.cts' \
       -o -name '*.md' \) -delete \
    && rm -rf node_modules/rxjs/src node_modules/rxjs/dist/esm5 node_modules/rxjs/dist/esm node_modules/rxjs/dist/bundles \
       node_modules/rxjs/dist/types

# Runtime stage: slim, non-root, only what runs.
FROM node:20-bookworm-slim
# librdkafka links what the build stage had: OpenSSL, zlib, zstd and libcurl (node:20-bookworm has curl's headers).
# Its package cache goes too (a base image without Debian's docker-clean hook keeps the .debs: 80 MB).
RUN apt-get update && apt-get install -y --no-install-recommends libssl3 zlib1g libzstd1 libcurl4 ca-certificates \
    && apt-get clean && rm -rf /var/lib/apt/lists/* /var/cache/apt/*
WORKDIR /opt/retail-stream
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY bin ./bin
COPY data ./data
RUN ln -s /opt/retail-stream/bin/retail-stream /usr/local/bin/retail-stream
USER node
# KAFKA_BOOTSTRAP_SERVERS (and any RETAIL_STREAM_<OPTION>) configure the run.
ENV KAFKA_BOOTSTRAP_SERVERS=kafka:9092
ENTRYPOINT ["retail-stream"]
CMD ["--continuous"]
