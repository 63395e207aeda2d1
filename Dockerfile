# dpf-caseflow — one image for the API, the Temporal worker and the one-shot
# migrate job. docker-compose.yml picks the process with `command:`.
#
#   docker build -t dpf-caseflow .
#   docker run --rm dpf-caseflow                          # API (default CMD)
#   docker run --rm dpf-caseflow node dist/src/worker.js  # Temporal worker

ARG NODE_IMAGE=node:24-bookworm-slim

# ---------------------------------------------------------------------------
# build: full dependency tree (TypeScript, swc, …) -> dist/
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app

# Lockfile first so the `npm ci` layer is cached until dependencies change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# Sources (see .dockerignore for what is excluded: node_modules, dist, .git, …).
COPY . .

# `npm run build` = `tsc -p tsconfig.build.json && node scripts/build-workflow-bundle.mjs`
# -> dist/src/**.js and the pre-bundled workflow code dist/workflow-bundle.js
# (the worker loads the bundle, so webpack never runs in production).
RUN npm run build

# ---------------------------------------------------------------------------
# runtime: production dependencies + compiled output only, non-root
# ---------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app

COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund \
 && npm cache clean --force

COPY --from=build /app/dist ./dist

# Files stay root-owned (read-only for the app); the `node` user (uid 1000,
# shipped by the base image) only needs to write to /tmp, e.g. the worker
# heartbeat file /tmp/worker-alive checked by dist/src/worker-health.js.
USER node

EXPOSE 3000

# `docker stop` / `docker-compose stop` send SIGTERM, then SIGKILL after the
# grace period. Both processes handle SIGTERM: the API stops accepting
# requests and closes its connections; the Temporal worker stops polling,
# lets in-flight activities/workflow tasks finish (drain) and then exits.
# docker-compose.yml gives the worker `stop_grace_period: 60s` for that
# drain, and runs every app container with `init: true` so that PID 1 is a
# tiny init that forwards the signal to node.
STOPSIGNAL SIGTERM

CMD ["node", "dist/src/main.js"]
