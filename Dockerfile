# syntax=docker/dockerfile:1
# lakewarden in a container: the daemon. Mount the lake repository (lake.config.yaml, data/, sql/, glue_scripts/) at
# /lake and a volume at /state, e.g. docker run -v $PWD:/lake:ro -v lake-state:/state -p 9464:9464 lakewarden

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
# git: the daemon fetches source.git with the git CLI; tini: PID 1 that forwards SIGTERM/SIGINT and reaps git.
RUN apt-get update \
 && apt-get install -y --no-install-recommends git ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*
# Every setting of the daemon is also an environment variable (flags win over them, they win over the file):
# LAKEWARDEN_MODE, LAKEWARDEN_SCHEDULE, LAKEWARDEN_TARGET, LAKEWARDEN_GIT_URL/_BRANCH/_PATH/_INTERVAL,
# LAKEWARDEN_LOG_LEVEL, LAKEWARDEN_LOG_FORMAT. In a container both endpoints listen on every interface.
ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true \
    LAKEWARDEN_CONFIG=/lake/lake.config.yaml \
    LAKEWARDEN_STATE_DIR=/state \
    LAKEWARDEN_HTTP_HOST=0.0.0.0 \
    LAKEWARDEN_HTTP_PORT=9464 \
    LAKEWARDEN_ENDPOINT_HOST=0.0.0.0 \
    LAKEWARDEN_ENDPOINT_PORT=4566 \
    LAKEWARDEN_LOG_FORMAT=json
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY schemas ./schemas
RUN ln -s /app/dist/cli/bin.js /usr/local/bin/lakewarden && chmod +x /app/dist/cli/bin.js \
 && mkdir -p /state /lake && chown node:node /state
USER node
WORKDIR /lake
# /lake: the lake repository (read-only is fine; with source.git only lake.config.yaml is read there, for the source
# and the daemon's settings); /state: the embedded AWS, the inventory and the git checkouts (must persist).
VOLUME ["/lake", "/state"]
# 9464: /metrics, /healthz, /readyz, /status; 4566: the embedded AWS (target local; SigV4 with the local
# credentials — set LAKEWARDEN_LOCAL_ACCESS_KEY_ID / LAKEWARDEN_LOCAL_SECRET_ACCESS_KEY before publishing it).
EXPOSE 9464 4566
# No curl in the slim image: Node's fetch asks /healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.LAKEWARDEN_HTTP_PORT||9464)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# docker stop sends SIGTERM: the daemon finishes (or lets go of) the step in flight and exits 0 within 30 s.
STOPSIGNAL SIGTERM
ENTRYPOINT ["tini", "--", "lakewarden"]
CMD ["daemon"]
