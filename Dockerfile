# syntax=docker/dockerfile:1
# lakewarden in a container. Mount the lake repository (lake.config.yaml, data/, sql/, glue_scripts/) at /lake.

# --- build: compile TypeScript with the dev dependencies ---
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Scripts are skipped here: `prepare` would compile before the sources are copied; tsc runs below.
RUN npm ci --ignore-scripts
COPY tsconfig.json ./
COPY schemas ./schemas
COPY src ./src
RUN npx tsc -p tsconfig.json

# --- deps: production dependencies only, native add-ons compiled for this image ---
FROM node:20-slim AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
# --ignore-scripts keeps the root `prepare` (tsc, a dev dependency) from running; `npm rebuild` then runs the
# install scripts of the production dependencies themselves (native add-ons).
RUN npm ci --omit=dev --ignore-scripts && npm rebuild && npm cache clean --force

# --- runtime ---
FROM node:20-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
ENV NODE_ENV=production \
    LAKEWARDEN_CONFIG=/lake/lake.config.yaml \
    LAKEWARDEN_STATE_DIR=/state
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY schemas ./schemas
RUN ln -s /app/dist/cli/bin.js /usr/local/bin/lakewarden && chmod +x /app/dist/cli/bin.js \
 && mkdir -p /state && chown node:node /state
USER node
WORKDIR /lake
# /lake: the lake repository (read-only is fine); /state: the embedded AWS and the inventory (must persist).
VOLUME ["/lake", "/state"]
# tini forwards SIGTERM/SIGINT to node and reaps children (git, later).
ENTRYPOINT ["tini", "--", "lakewarden"]
# One reconcile of the mounted lake. The long-running daemon (schedule, metrics, health check) arrives with the
# daemon command; then this becomes `daemon` with a HEALTHCHECK on /healthz.
CMD ["reconcile"]
