# retail-stream container image: `docker build -t retail-stream .`
# Build stage: compiles librdkafka (node-rdkafka) and the TypeScript.
FROM node:20-bookworm AS build
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ libssl-dev zlib1g-dev libzstd-dev \
    && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npx tsc -p tsconfig.build.json && npm prune --omit=dev

# Runtime stage: slim, non-root, only what runs.
FROM node:20-bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends libssl3 zlib1g libzstd1 ca-certificates \
    && rm -rf /var/lib/apt/lists/*
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
